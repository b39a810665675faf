import { isIPv6 } from 'node:net';
import { errno, libcCalls as c, type LengthCell } from './libc';
import {
  decodeSockaddr,
  encodeSockaddr,
  SOCKADDR_MAX,
  AF_INET,
  AF_INET6,
  type SocketAddress,
} from './sockaddr';
import { SocketError } from './socket-error';

export type { SocketAddress } from './sockaddr';
export type Family = 'ipv4' | 'ipv6';
export type ShutdownHow = 'read' | 'write' | 'both';

export interface Linger {
  readonly enabled: boolean;
  readonly seconds: number;
}

/** SO_KEEPALIVE with its timings: idle seconds before the first probe, seconds between probes, unanswered probes. */
export interface Keepalive {
  readonly enabled: boolean;
  readonly idleSeconds: number;
  readonly intervalSeconds: number;
  readonly count: number;
}

export interface Readiness {
  readonly readable: boolean;
  readonly writable: boolean;
  /** The peer closed both directions, or the connection was reset (POLLHUP). */
  readonly hangup: boolean;
  readonly error: boolean;
}

// Linux constants (x86_64 and arm64 agree on these).
const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const IPPROTO_TCP = 6;
const IPPROTO_IPV6 = 41;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const SO_ERROR = 4;
const SO_KEEPALIVE = 9;
const SO_LINGER = 13;
const SO_REUSEPORT = 15;
const IPV6_V6ONLY = 26;
const TCP_KEEPIDLE = 4;
const TCP_KEEPINTVL = 5;
const TCP_KEEPCNT = 6;
const TCP_USER_TIMEOUT = 18;
const MSG_NOSIGNAL = 0x4000;
const SHUT: Readonly<Record<ShutdownHow, number>> = { read: 0, write: 1, both: 2 };
const POLLIN = 0x1;
const POLLOUT = 0x4;
const POLLERR = 0x8;
const POLLHUP = 0x10;
const POLLRDHUP = 0x2000;
const EAGAIN = 11;
const EINPROGRESS = 115;

/**
 * A TCP socket owned through libc, one method per system call. Every socket is non-blocking: an empty accept
 * queue, a connect in progress and an empty receive buffer are answered as values, never by waiting. Failures
 * throw SocketError with the errno name as `code`.
 */
export class Socket {
  private isClosed = false;

  private constructor(
    readonly fd: number,
    readonly family: Family,
  ) {}

  static create(family: Family): Socket {
    const domain = family === 'ipv4' ? AF_INET : AF_INET6;
    const fd = c.socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
      const code = errno();
      throw new SocketError('socket', code, family, c.strerror(code));
    }
    return new Socket(fd, family);
  }

  /** The family an address text needs: `::1` is IPv6, `127.0.0.1` IPv4. */
  static familyOf(address: string): Family {
    return isIPv6(address) ? 'ipv6' : 'ipv4';
  }

  get closed(): boolean {
    return this.isClosed;
  }

  setReuseAddr(on: boolean): void {
    this.setInt(SOL_SOCKET, SO_REUSEADDR, on ? 1 : 0, 'SO_REUSEADDR');
  }

  getReuseAddr(): boolean {
    return this.getInt(SOL_SOCKET, SO_REUSEADDR, 'SO_REUSEADDR') !== 0;
  }

  setReusePort(on: boolean): void {
    this.setInt(SOL_SOCKET, SO_REUSEPORT, on ? 1 : 0, 'SO_REUSEPORT');
  }

  getReusePort(): boolean {
    return this.getInt(SOL_SOCKET, SO_REUSEPORT, 'SO_REUSEPORT') !== 0;
  }

  /** IPv6 sockets only: accept IPv6 peers only (on) or also v4-mapped ones (off). */
  setV6Only(on: boolean): void {
    this.setInt(IPPROTO_IPV6, IPV6_V6ONLY, on ? 1 : 0, 'IPV6_V6ONLY');
  }

  getV6Only(): boolean {
    return this.getInt(IPPROTO_IPV6, IPV6_V6ONLY, 'IPV6_V6ONLY') !== 0;
  }

  /** SO_LINGER: `{ enabled: true, seconds: 0 }` makes close() send RST instead of FIN. */
  setLinger(linger: Linger): void {
    const value = Buffer.alloc(8);
    value.writeInt32LE(linger.enabled ? 1 : 0, 0);
    value.writeInt32LE(linger.seconds, 4);
    this.check(c.setsockopt(this.fd, SOL_SOCKET, SO_LINGER, value, 8), 'setsockopt', 'SO_LINGER');
  }

  getLinger(): Linger {
    const value = Buffer.alloc(8);
    this.check(c.getsockopt(this.fd, SOL_SOCKET, SO_LINGER, value, [8]), 'getsockopt', 'SO_LINGER');
    return { enabled: value.readInt32LE(0) !== 0, seconds: value.readInt32LE(4) };
  }

  /** SO_KEEPALIVE and TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT: when an idle connection's peer is probed and given up on. */
  setKeepalive(keepalive: Keepalive): void {
    this.setInt(SOL_SOCKET, SO_KEEPALIVE, keepalive.enabled ? 1 : 0, 'SO_KEEPALIVE');
    this.setInt(IPPROTO_TCP, TCP_KEEPIDLE, keepalive.idleSeconds, 'TCP_KEEPIDLE');
    this.setInt(IPPROTO_TCP, TCP_KEEPINTVL, keepalive.intervalSeconds, 'TCP_KEEPINTVL');
    this.setInt(IPPROTO_TCP, TCP_KEEPCNT, keepalive.count, 'TCP_KEEPCNT');
  }

  getKeepalive(): Keepalive {
    return {
      enabled: this.getInt(SOL_SOCKET, SO_KEEPALIVE, 'SO_KEEPALIVE') !== 0,
      idleSeconds: this.getInt(IPPROTO_TCP, TCP_KEEPIDLE, 'TCP_KEEPIDLE'),
      intervalSeconds: this.getInt(IPPROTO_TCP, TCP_KEEPINTVL, 'TCP_KEEPINTVL'),
      count: this.getInt(IPPROTO_TCP, TCP_KEEPCNT, 'TCP_KEEPCNT'),
    };
  }

  /** TCP_USER_TIMEOUT: how long sent data may stay unacknowledged before the connection is dropped (0: the default). */
  setUserTimeout(ms: number): void {
    this.setInt(IPPROTO_TCP, TCP_USER_TIMEOUT, ms, 'TCP_USER_TIMEOUT');
  }

  getUserTimeout(): number {
    return this.getInt(IPPROTO_TCP, TCP_USER_TIMEOUT, 'TCP_USER_TIMEOUT');
  }

  bind(address: SocketAddress): void {
    const sockaddr = this.sockaddr(address);
    this.check(c.bind(this.fd, sockaddr, sockaddr.length), 'bind', describe(address));
  }

  listen(backlog: number): void {
    this.check(c.listen(this.fd, backlog), 'listen', String(backlog));
  }

  /** One accept(): the connection at the head of the accept queue, or null when the queue is empty. */
  accept(): Socket | null {
    const fd = c.accept4(
      this.fd,
      Buffer.alloc(SOCKADDR_MAX),
      [SOCKADDR_MAX],
      SOCK_NONBLOCK | SOCK_CLOEXEC,
    );
    if (fd >= 0) return new Socket(fd, this.family);
    const code = errno();
    if (code === EAGAIN) return null;
    throw new SocketError('accept', code, '', c.strerror(code));
  }

  /** Starts a connect: 'pending' until the kernel decides (see poll() and pendingError()). */
  connect(address: SocketAddress): 'connected' | 'pending' {
    const sockaddr = this.sockaddr(address);
    if (c.connect(this.fd, sockaddr, sockaddr.length) === 0) return 'connected';
    const code = errno();
    if (code === EINPROGRESS) return 'pending';
    throw new SocketError('connect', code, describe(address), c.strerror(code));
  }

  /** SO_ERROR: the error a connect in progress (or a reset) left behind, cleared by reading it. */
  pendingError(): SocketError | null {
    const code = this.getInt(SOL_SOCKET, SO_ERROR, 'SO_ERROR');
    return code === 0 ? null : new SocketError('connect', code, '', c.strerror(code));
  }

  poll(timeoutMs = 0): Readiness {
    const fds = Buffer.alloc(8);
    fds.writeInt32LE(this.fd, 0);
    fds.writeInt16LE(POLLIN | POLLOUT | POLLRDHUP, 4);
    this.check(c.poll(fds, 1, timeoutMs), 'poll');
    const events = fds.readInt16LE(6);
    return {
      readable: (events & (POLLIN | POLLRDHUP)) !== 0,
      writable: (events & POLLOUT) !== 0,
      hangup: (events & POLLHUP) !== 0,
      error: (events & POLLERR) !== 0,
    };
  }

  /** Bytes queued for sending, or null when the send buffer is full. Never raises SIGPIPE. */
  send(data: Buffer | string): number | null {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const sent = c.send(this.fd, bytes, bytes.length, MSG_NOSIGNAL);
    if (sent >= 0) return sent;
    const code = errno();
    if (code === EAGAIN) return null;
    throw new SocketError('send', code, '', c.strerror(code));
  }

  /** Data read, an empty Buffer at EOF (the peer's FIN), or null when nothing has arrived yet. */
  recv(maxBytes = 65536): Buffer | null {
    const buffer = Buffer.alloc(maxBytes);
    const received = c.recv(this.fd, buffer, maxBytes, 0);
    if (received >= 0) return buffer.subarray(0, received);
    const code = errno();
    if (code === EAGAIN) return null;
    throw new SocketError('recv', code, '', c.strerror(code));
  }

  shutdown(how: ShutdownHow): void {
    this.check(c.shutdown(this.fd, SHUT[how]), 'shutdown', how);
  }

  /** close(); calling it again does nothing. With SO_LINGER on and a time above 0, it can block that long. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.check(c.close(this.fd), 'close');
  }

  /**
   * close() on a worker thread, settled when the call returns: for a socket whose SO_LINGER makes close() wait
   * until its data is sent or its linger time is up, while the event loop goes on. Calling it again, or after
   * close(), does nothing.
   */
  closeOnWorker(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    this.isClosed = true;
    return new Promise((resolve, reject) => {
      c.closeOnWorker(this.fd, (error, result) => {
        if (error !== null && error !== undefined) reject(error as Error);
        else if (result < 0) {
          const code = errno();
          reject(new SocketError('close', code, '', c.strerror(code)));
        } else resolve();
      });
    });
  }

  localAddress(): SocketAddress {
    return this.name(c.getsockname, 'getsockname');
  }

  remoteAddress(): SocketAddress {
    return this.name(c.getpeername, 'getpeername');
  }

  private name(
    call: (fd: number, address: Buffer, length: LengthCell) => number,
    syscall: string,
  ): SocketAddress {
    const buffer = Buffer.alloc(SOCKADDR_MAX);
    this.check(call(this.fd, buffer, [SOCKADDR_MAX]), syscall);
    return decodeSockaddr(buffer);
  }

  private sockaddr(address: SocketAddress): Buffer {
    const wanted =
      this.family === 'ipv6' && !isIPv6(address.address)
        ? `::ffff:${address.address}`
        : address.address;
    try {
      return encodeSockaddr(this.family, { address: wanted, port: address.port });
    } catch {
      throw new SocketError('sockaddr', 97, describe(address), `not an ${this.family} address`);
    }
  }

  private setInt(level: number, name: number, value: number, option: string): void {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32LE(value, 0);
    this.check(c.setsockopt(this.fd, level, name, buffer, 4), 'setsockopt', option);
  }

  private getInt(level: number, name: number, option: string): number {
    const buffer = Buffer.alloc(4);
    this.check(c.getsockopt(this.fd, level, name, buffer, [4]), 'getsockopt', option);
    return buffer.readInt32LE(0);
  }

  private check(result: number, syscall: string, detail = ''): void {
    if (result < 0) {
      const code = errno();
      throw new SocketError(syscall, code, detail, c.strerror(code));
    }
  }
}

function describe({ address, port }: SocketAddress): string {
  return isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}
