import { errno, libcCalls as c } from './libc';
import { SocketError } from './socket-error';

const POLLIN = 0x1;
const POLLOUT = 0x4;
const POLLRDHUP = 0x2000;
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const EINTR = 4;
const POLLFD_SIZE = 8;
const ONE_BYTE = Buffer.from([1]);

/** A descriptor to wait on: until it can be read (data, EOF, a connection to accept) or written (a connect done). */
export interface Watch<K> {
  readonly fd: number;
  readonly want: 'read' | 'write';
  readonly key: K;
}

export interface ReadinessLoopOptions {
  /** Also end each wait after this many ms with nothing ready; undefined: wait as long as nothing happens. */
  readonly wakeEveryMs?: number;
  /** A poll(2) that failed (never EINTR, which is retried). */
  readonly onError?: (error: SocketError) => void;
}

/**
 * A program's event loop over its non-blocking sockets: poll(2) waits on a worker thread until a watched socket is
 * ready, then `onReady` gets the keys of the ready ones on the main thread, and the loop waits again on the set
 * `watches()` gives then. Between events the process sleeps. `wake()` ends a wait early, for a set changed from
 * outside `onReady` (a timer closed a socket); it writes to a pipe that every wait also watches.
 */
export class ReadinessLoop<K> {
  private readonly pipe: { readonly read: number; readonly write: number };
  private stopped = false;
  private waiting = false;
  private started = 0;

  constructor(
    private readonly watches: () => readonly Watch<K>[],
    private readonly onReady: (ready: readonly K[]) => void,
    private readonly options: ReadinessLoopOptions = {},
  ) {
    const fds = Buffer.alloc(8);
    if (c.pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
      const code = errno();
      throw new SocketError('pipe2', code, '', c.strerror(code));
    }
    this.pipe = { read: fds.readInt32LE(0), write: fds.readInt32LE(4) };
    this.waitOnce();
  }

  /** How many waits (poll calls) the loop has begun: an idle loop begins one and stays in it. */
  get waits(): number {
    return this.started;
  }

  /** Ends the current wait, so the next one watches the set as it is now. */
  wake(): void {
    if (this.waiting) c.write(this.pipe.write, ONE_BYTE, 1);
  }

  /** Ends the loop: no more `onReady` calls; the pipe is closed once the current wait has returned. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.waiting) this.wake();
    else this.closePipe();
  }

  private waitOnce(): void {
    if (this.stopped) {
      this.closePipe();
      return;
    }
    const watches = [...this.watches()];
    const set = Buffer.alloc(POLLFD_SIZE * (watches.length + 1));
    set.writeInt32LE(this.pipe.read, 0);
    set.writeInt16LE(POLLIN, 4);
    watches.forEach((watch, i) => {
      set.writeInt32LE(watch.fd, POLLFD_SIZE * (i + 1));
      set.writeInt16LE(
        watch.want === 'read' ? POLLIN | POLLRDHUP : POLLOUT,
        POLLFD_SIZE * (i + 1) + 4,
      );
    });
    this.waiting = true;
    this.started += 1;
    c.pollOnWorker(set, watches.length + 1, this.options.wakeEveryMs ?? -1, (error, result) => {
      this.waiting = false;
      const code = result < 0 ? errno() : 0;
      this.drainPipe();
      if (!this.stopped) {
        if (error !== null && error !== undefined) {
          this.options.onError?.(new SocketError('poll', 0, '', String(error)));
        } else if (result < 0 && code !== EINTR) {
          this.options.onError?.(new SocketError('poll', code, '', c.strerror(code)));
        } else {
          const ready = watches.filter((_, i) => set.readInt16LE(POLLFD_SIZE * (i + 1) + 6) !== 0);
          this.onReady(ready.map((watch) => watch.key));
        }
      }
      this.waitOnce();
    });
  }

  private drainPipe(): void {
    const buffer = Buffer.alloc(64);
    while (c.read(this.pipe.read, buffer, buffer.length) > 0);
  }

  private closePipe(): void {
    c.close(this.pipe.read);
    c.close(this.pipe.write);
  }
}
