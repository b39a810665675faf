import { isIPv6 } from 'node:net';
import { PATHS } from '@sockspec/agent/protocol';
import type { RemoteSocket } from './remote-socket';
import type { Target } from './target';

/** One connection made call by call inside a target: the listener, the client's end and the server's end. */
export interface SocketPair {
  readonly listener: RemoteSocket;
  readonly client: RemoteSocket;
  readonly server: RemoteSocket;
  readonly serverPort: number;
  readonly clientPort: number;
}

/**
 * socket, bind, listen; socket, connect; accept: one ESTABLISHED connection on loopback, both ends in hand. An IPv6
 * address (`::1`) makes IPv6 sockets.
 */
export async function connectPair(
  target: Target,
  port: number,
  address = '127.0.0.1',
): Promise<SocketPair> {
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  const listener = await target.socket(family);
  await listener.bind(address, port);
  await listener.listen(8);
  const client = await target.socket(family);
  await client.connect(address, port);
  const outcome = await client.settle(2_000);
  if (outcome !== 'connected')
    throw new Error(`connect to ${address}:${port}: ${JSON.stringify(outcome)}`);
  let server = await listener.accept();
  for (let i = 0; server === null && i < 100; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    server = await listener.accept();
  }
  if (server === null) throw new Error(`no connection to accept on ${address}:${port}`);
  const clientPort = (await client.localAddress()).port;
  return { listener, client, server, serverPort: port, clientPort };
}

/**
 * Closes sockets back to back inside the target, in the order given, in one request. Answers how far apart the
 * first and the last close() call started, measured in the target (a slow or stalled VM can stretch it).
 */
export async function closeInOrder(
  target: Target,
  ...sockets: readonly RemoteSocket[]
): Promise<{ readonly spreadMs: number }> {
  const { spreadUs } = await target.agent.post<{ spreadUs: number }>(PATHS.closeInOrder, {
    ids: sockets.map((socket) => socket.id),
  });
  return { spreadMs: spreadUs / 1000 };
}
