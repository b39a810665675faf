// A large TCP table to measure: one listener on 127.0.0.1 and N loopback connections to it, each with both ends
// held open (2N + 1 sockets, all ESTABLISHED but the listener). Meant for a network namespace of its own (see
// inspector-namespace.mjs): it brings that namespace's `lo` up, and all traffic stays on loopback.
import { execFileSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** Connections opened at once; the rest wait, so that no SYN meets a full queue (and a 1 s retransmit). */
const BATCH = 250;

export async function openLoopbackSockets(connections) {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  const accepted = [];
  const server = createServer({ pauseOnConnect: true }, (socket) => accepted.push(socket));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, backlog: BATCH * 2 }, resolve);
  });
  const { port } = server.address();
  const clients = [];
  for (let opened = 0; opened < connections; opened += BATCH) {
    const batch = Math.min(BATCH, connections - opened);
    await Promise.all(
      Array.from(
        { length: batch },
        () =>
          new Promise((resolve, reject) => {
            const socket = createConnection({ host: '127.0.0.1', port }, () => resolve());
            socket.once('error', reject);
            clients.push(socket);
          }),
      ),
    );
  }
  while (accepted.length < connections) await new Promise((resolve) => setTimeout(resolve, 5));
  return {
    port,
    sockets: 2 * connections + 1,
    close() {
      for (const socket of [...clients, ...accepted]) socket.destroy();
      server.close();
    },
  };
}
