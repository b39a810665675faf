import { execFileSync } from 'node:child_process';
import {
  normalizeStateName,
  readTcpSockets,
  readTcpSocketsSync,
  socketOwners,
  type Endpoint,
  type TcpSocketEntry,
} from '@sockspec/inspector';
import { pollUntil } from '@sockspec/test-support';
import { Socket } from './socket';

/**
 * A differential test: the same real sockets on this host's loopback, made here and read by the inspector from
 * procfs and by iproute2's `ss -tan` through netlink, must agree on every socket, state and queue. It lives with the
 * sockets, the package that depends on the inspector, so that neither package needs the other the other way round.
 */
const opened: Socket[] = [];
const open = (family: 'ipv4' | 'ipv6'): Socket => {
  const socket = Socket.create(family);
  opened.push(socket);
  return socket;
};
afterAll(() => {
  for (const socket of opened) socket.close();
});

function ssText({ address, port }: Endpoint): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `${host}:${port === 0 ? '*' : port}`;
}

/** One row in the form both sides can produce; a listener's Send-Q is left out (ss shows its backlog limit there). */
function row(
  state: string,
  recvQ: number,
  sendQ: number | null,
  local: string,
  peer: string,
): string {
  return [state, recvQ, sendQ ?? '-', local, peer].join(' ');
}

function ours(entries: readonly TcpSocketEntry[], ports: readonly number[]): string[] {
  return entries
    .filter((e) => ports.includes(e.local.port) || ports.includes(e.remote.port))
    .map((e) =>
      row(
        e.state,
        e.rxQueue,
        e.state === 'LISTEN' ? null : e.txQueue,
        ssText(e.local),
        ssText(e.remote),
      ),
    )
    .sort();
}

function theirs(ports: readonly number[]): string[] {
  const output = execFileSync('ss', ['-tan'], { encoding: 'utf8' });
  const rows: string[] = [];
  for (const line of output.split('\n').slice(1)) {
    const [ssState, recvQ, sendQ, local, peer] = line.trim().split(/\s+/);
    if (ssState === undefined || local === undefined || peer === undefined) continue;
    const port = (text: string): number => Number(text.slice(text.lastIndexOf(':') + 1));
    if (!ports.includes(port(local)) && !ports.includes(port(peer))) continue;
    const state = normalizeStateName(ssState) ?? ssState;
    rows.push(row(state, Number(recvQ), state === 'LISTEN' ? null : Number(sendQ), local, peer));
  }
  return rows.sort();
}

describe('readTcpSockets against ss -tan', () => {
  let ports: number[];

  beforeAll(async () => {
    // IPv4: a listener that never accepts, with two connections waiting in its queue.
    const queued = open('ipv4');
    queued.bind({ address: '127.0.0.1', port: 0 });
    queued.listen(4);
    const queuedPort = queued.localAddress().port;
    for (let i = 0; i < 2; i += 1) open('ipv4').connect({ address: '127.0.0.1', port: queuedPort });
    // IPv6: an accepted connection with 3 unread bytes, whose client then closes: CLOSE_WAIT and FIN_WAIT2.
    const listener = open('ipv6');
    listener.bind({ address: '::1', port: 0 });
    listener.listen(4);
    const v6Port = listener.localAddress().port;
    const client = open('ipv6');
    client.connect({ address: '::1', port: v6Port });
    const accepted = await pollUntil(() => listener.accept());
    opened.push(accepted);
    await pollUntil(() => (client.poll().writable ? true : null));
    client.send('abc');
    client.close();
    // The server's kernel may delay its ACK of the FIN (it enters pingpong mode, hoping to send its own FIN with
    // it), so the client's end reaches FIN_WAIT2 some milliseconds after the server's reaches CLOSE_WAIT.
    await pollUntil(() => {
      const entries = readTcpSocketsSync();
      const closeWait = entries.some((e) => e.state === 'CLOSE_WAIT' && e.local.port === v6Port);
      const finWait2 = entries.some((e) => e.state === 'FIN_WAIT2' && e.remote.port === v6Port);
      return closeWait && finWait2 ? true : null;
    });
    ports = [queuedPort, v6Port];
  });

  it('sees the same sockets, states and queues', () => {
    // Neither procfs nor netlink dumps are atomic: while other processes open and close sockets (other test
    // workers do), either walk may repeat or miss an entry. Up to three paired readings; one must agree exactly.
    let mine: string[] = [];
    let expected: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      mine = ours(readTcpSocketsSync(), ports);
      expected = theirs(ports);
      if (JSON.stringify(mine) === JSON.stringify(expected)) break;
    }
    expect(mine).toEqual(expected);
    expect(mine.some((line) => line.startsWith('LISTEN 2 '))).toBe(true);
    // Recv-Q counts the FIN's sequence number too: 3 unread bytes and the FIN read as 4, by both tools.
    expect(mine.some((line) => line.startsWith('CLOSE_WAIT 4 '))).toBe(true);
    expect(mine.some((line) => line.startsWith('FIN_WAIT2 '))).toBe(true);
  });

  it('reads the same table asynchronously', async () => {
    // As above: a walk may miss an entry while other processes' sockets churn; one of three pairs must agree.
    let pair: [string[], string[]] = [[], []];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      pair = [ours(await readTcpSockets(), ports), ours(readTcpSocketsSync(), ports)];
      if (JSON.stringify(pair[0]) === JSON.stringify(pair[1])) break;
    }
    expect(pair[0]).toEqual(pair[1]);
  });

  it('maps a listener inode to this process', () => {
    const listener = readTcpSocketsSync().find(
      (e) => e.state === 'LISTEN' && e.local.port === ports[0],
    );
    expect(socketOwners().get(listener?.inode ?? -1)).toEqual([
      { pid: process.pid, command: expect.any(String) },
    ]);
  });
});
