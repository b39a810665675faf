import { pollUntil } from '@sockspec/test-support';
import { Socket } from './socket';
import { SocketError } from './socket-error';

/** Real sockets on loopback: each test opens its own, with kernel-chosen ports, and closes them. */
const opened: Socket[] = [];
function open(family: 'ipv4' | 'ipv6' = 'ipv4'): Socket {
  const socket = Socket.create(family);
  opened.push(socket);
  return socket;
}
afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

function listener(address = '127.0.0.1', backlog = 4): { socket: Socket; port: number } {
  const socket = open(Socket.familyOf(address));
  socket.bind({ address, port: 0 });
  socket.listen(backlog);
  return { socket, port: socket.localAddress().port };
}

function errorOf(call: () => unknown): SocketError {
  try {
    call();
  } catch (error) {
    if (error instanceof SocketError) return error;
    throw error;
  }
  throw new Error('expected a SocketError');
}

describe.each([['127.0.0.1'], ['::1']])('a connection on %s', (address) => {
  it('goes through listen, a non-blocking connect, accept, send and recv', async () => {
    const server = listener(address);
    expect(server.socket.accept()).toBeNull();
    const client = open(Socket.familyOf(address));
    expect(['connected', 'pending']).toContain(client.connect({ address, port: server.port }));
    await pollUntil(() => (client.poll().writable ? true : null));
    expect(client.pendingError()).toBeNull();
    const accepted = await pollUntil(() => server.socket.accept());
    opened.push(accepted);
    expect(accepted.remoteAddress()).toEqual(client.localAddress());
    expect(client.send('hello')).toBe(5);
    const data = await pollUntil(() => accepted.recv());
    expect(data.toString()).toBe('hello');
  });

  it('reads EOF as an empty buffer after the peer shuts down its writing side', async () => {
    const server = listener(address);
    const client = open(Socket.familyOf(address));
    client.connect({ address, port: server.port });
    const accepted = await pollUntil(() => server.socket.accept());
    opened.push(accepted);
    expect(accepted.recv()).toBeNull();
    client.shutdown('write');
    expect(await pollUntil(() => accepted.recv())).toHaveLength(0);
  });
});

describe('socket options and errors', () => {
  it('refuses a second live listener on the same port with EADDRINUSE, SO_REUSEADDR or not', () => {
    const first = open();
    first.setReuseAddr(true);
    first.bind({ address: '127.0.0.1', port: 0 });
    first.listen(1);
    const second = open();
    second.setReuseAddr(true);
    const error = errorOf(() =>
      second.bind({ address: '127.0.0.1', port: first.localAddress().port }),
    );
    expect(error).toMatchObject({ code: 'EADDRINUSE', syscall: 'bind' });
  });

  it('lets two listeners share a port when both set SO_REUSEPORT', () => {
    const first = open();
    first.setReusePort(true);
    first.bind({ address: '127.0.0.1', port: 0 });
    first.listen(1);
    const second = open();
    second.setReusePort(true);
    second.bind({ address: '127.0.0.1', port: first.localAddress().port });
    second.listen(1);
    expect(second.getReusePort()).toBe(true);
  });

  it('reads back SO_REUSEADDR and SO_LINGER as set', () => {
    const socket = open();
    expect(socket.getReuseAddr()).toBe(false);
    socket.setReuseAddr(true);
    expect(socket.getReuseAddr()).toBe(true);
    socket.setLinger({ enabled: true, seconds: 0 });
    expect(socket.getLinger()).toEqual({ enabled: true, seconds: 0 });
  });

  it('reads back SO_KEEPALIVE with its timings and TCP_USER_TIMEOUT as set', () => {
    const socket = open();
    expect(socket.getKeepalive().enabled).toBe(false);
    expect(socket.getUserTimeout()).toBe(0);
    const keepalive = { enabled: true, idleSeconds: 2, intervalSeconds: 1, count: 3 };
    socket.setKeepalive(keepalive);
    socket.setUserTimeout(3_000);
    expect(socket.getKeepalive()).toEqual(keepalive);
    expect(socket.getUserTimeout()).toBe(3_000);
  });

  it('reports ECONNREFUSED through the pending error when nothing listens', async () => {
    const probe = open();
    probe.bind({ address: '127.0.0.1', port: 0 });
    const port = probe.localAddress().port;
    probe.close();
    const client = open();
    const started = (() => {
      try {
        return client.connect({ address: '127.0.0.1', port });
      } catch (error) {
        return error as SocketError;
      }
    })();
    const code =
      started instanceof SocketError
        ? started.code
        : (await pollUntil(() => client.pendingError()))?.code;
    expect(code).toBe('ECONNREFUSED');
  });

  it('names the call that failed: listen on a closed descriptor is EBADF', () => {
    const socket = Socket.create('ipv4');
    socket.close();
    expect(errorOf(() => socket.listen(1))).toMatchObject({ code: 'EBADF', syscall: 'listen' });
  });
});

describe('a close() that lingers', () => {
  /** A connected client whose peer never reads, its send buffer filled until the kernel takes no more. */
  async function clientWithUnsentData(): Promise<Socket> {
    const server = listener();
    const client = open();
    client.connect({ address: '127.0.0.1', port: server.port });
    opened.push(await pollUntil(() => server.socket.accept()));
    const chunk = Buffer.alloc(65536, 'x');
    while (client.send(chunk) !== null);
    return client;
  }

  const LINGER_S = 2;

  it('blocks close() until SO_LINGER runs out while the data cannot leave', async () => {
    const client = await clientWithUnsentData();
    client.setLinger({ enabled: true, seconds: LINGER_S });
    const started = Date.now();
    client.close();
    // The kernel counts the linger time in jiffies from the call: a little slack below for timer rounding.
    expect(Date.now() - started).toBeGreaterThanOrEqual(LINGER_S * 1000 - 50);
  });

  it('leaves the event loop running while closeOnWorker waits out the same linger', async () => {
    const client = await clientWithUnsentData();
    client.setLinger({ enabled: true, seconds: LINGER_S });
    const started = Date.now();
    const closing = client.closeOnWorker();
    expect(client.closed).toBe(true);
    // A timer due in 10 ms fires long before the close returns: the main thread is not the one waiting.
    const timerFiredAfter = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(Date.now() - started), 10),
    );
    await closing;
    const closedAfter = Date.now() - started;
    expect(closedAfter).toBeGreaterThanOrEqual(LINGER_S * 1000 - 50);
    // Half the linger time is far more than a timer needs on a loaded machine, and far less than the close takes.
    expect(timerFiredAfter).toBeLessThan((LINGER_S * 1000) / 2);
  });

  it('does nothing when the socket is already closed', async () => {
    const socket = Socket.create('ipv4');
    socket.close();
    await expect(socket.closeOnWorker()).resolves.toBeUndefined();
  });
});
