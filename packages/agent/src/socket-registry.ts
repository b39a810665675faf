import { readlinkSync } from 'node:fs';
import { Socket } from '@sockspec/sockets';
import type {
  AcceptResult,
  CloseResult,
  RecvResult,
  SocketFamily,
  SocketOptions,
  SocketStatus,
} from './protocol';
import { HttpError, notFound } from './http-error';

/**
 * The sockets the agent owns on a test's behalf, by id. Every socket is non-blocking, so no call here can stall
 * the agent: an empty accept queue, a connect in progress or an empty receive buffer come back as values, and a
 * close() that lingers runs on a worker thread.
 */
export class SocketRegistry {
  private readonly sockets = new Map<number, Socket>();
  private nextId = 1;

  create(family: SocketFamily): number {
    const id = this.nextId++;
    this.sockets.set(id, Socket.create(family));
    return id;
  }

  get(id: number): Socket {
    const socket = this.sockets.get(id);
    if (socket === undefined) throw notFound(`no socket ${id}`);
    return socket;
  }

  setOptions(id: number, options: SocketOptions): void {
    const socket = this.get(id);
    if (options.reuseAddr !== undefined) socket.setReuseAddr(options.reuseAddr);
    if (options.reusePort !== undefined) socket.setReusePort(options.reusePort);
    if (options.v6Only !== undefined) socket.setV6Only(options.v6Only);
    if (options.linger !== undefined) socket.setLinger(options.linger);
    if (options.keepalive !== undefined) socket.setKeepalive(options.keepalive);
    if (options.userTimeoutMs !== undefined) socket.setUserTimeout(options.userTimeoutMs);
  }

  options(id: number): Required<SocketOptions> {
    const socket = this.get(id);
    return {
      reuseAddr: socket.getReuseAddr(),
      reusePort: socket.getReusePort(),
      v6Only: socket.family === 'ipv6' && socket.getV6Only(),
      linger: socket.getLinger(),
      keepalive: socket.getKeepalive(),
      userTimeoutMs: socket.getUserTimeout(),
    };
  }

  accept(id: number): AcceptResult {
    const accepted = this.get(id).accept();
    if (accepted === null) return { socket: null };
    const acceptedId = this.nextId++;
    this.sockets.set(acceptedId, accepted);
    return {
      socket: acceptedId,
      local: accepted.localAddress(),
      remote: accepted.remoteAddress(),
    };
  }

  status(id: number): SocketStatus {
    const socket = this.get(id);
    const readiness = socket.poll(0);
    const pending = socket.pendingError();
    return {
      id,
      readable: readiness.readable,
      writable: readiness.writable,
      hangup: readiness.hangup,
      pendingError: pending === null ? null : pending.code,
      inode: socketInode(socket.fd),
      local: optional(() => socket.localAddress()),
      remote: optional(() => socket.remoteAddress()),
    };
  }

  recv(id: number, maxBytes: number): RecvResult {
    const data = this.get(id).recv(maxBytes);
    if (data === null) return { text: '', bytes: 0, eof: false, wouldBlock: true };
    return {
      text: data.toString('utf8'),
      bytes: data.length,
      eof: data.length === 0,
      wouldBlock: false,
    };
  }

  /**
   * close(), answered when it returns. A socket whose SO_LINGER makes close() wait (on, above 0 s) is closed on a
   * worker thread, so the agent goes on sampling and serving for the seconds that takes. Answers when it was called
   * and when it returned, on this thread (a worker's return is seen once this thread's event loop gets to it).
   */
  async close(id: number): Promise<CloseResult> {
    const socket = this.get(id);
    this.sockets.delete(id);
    const calledAt = Date.now();
    await closeWithoutStalling(socket);
    return { calledAt, returnedAt: Date.now() };
  }

  /**
   * close() on each, in order, back to back on this thread: for a spec where one close must follow another
   * before any timer runs. Answers the time from the first close() call to the last, in microseconds of the
   * monotonic clock. Every id is checked first; a socket whose close() would linger is refused (409), as it would
   * stall the agent and spread the closes over its linger time.
   */
  closeInOrder(ids: readonly number[]): number {
    for (const id of ids) {
      if (lingers(this.get(id))) {
        throw new HttpError(
          409,
          'lingers',
          `socket ${id} has SO_LINGER on with a time above 0: its close() waits, close it on its own`,
        );
      }
    }
    const first = process.hrtime.bigint();
    let last = first;
    for (const id of ids) {
      last = process.hrtime.bigint();
      this.get(id).close();
      this.sockets.delete(id);
    }
    return Number((last - first) / 1000n);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sockets.values()];
    this.sockets.clear();
    await Promise.all(all.map(closeWithoutStalling));
  }
}

/** Whether close() on the socket can wait: SO_LINGER on with a time above 0 s. */
function lingers(socket: Socket): boolean {
  const linger = socket.getLinger();
  return linger.enabled && linger.seconds > 0;
}

async function closeWithoutStalling(socket: Socket): Promise<void> {
  if (lingers(socket)) await socket.closeOnWorker();
  else socket.close();
}

/** The socket's inode, the key that links it to its line in /proc/net/tcp: /proc/self/fd/N reads `socket:[INODE]`. */
function socketInode(fd: number): number {
  const link = readlinkSync(`/proc/self/fd/${fd}`);
  return Number(link.slice('socket:['.length, -1));
}

/** getpeername on an unconnected socket fails with ENOTCONN: that is "no address yet", not an error. */
function optional<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
