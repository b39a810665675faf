import { errno, libcCalls as c } from './libc';
import { SocketError } from './socket-error';

const CLONE_NEWNET = 0x40000000;

/**
 * Moves the calling thread, the process's main thread, into a new, empty network namespace: every socket it makes
 * from then on, every process it starts, and its /proc/self/net are the new namespace's. Threads started earlier
 * stay where they were. Needs CAP_SYS_ADMIN (EPERM in a container).
 */
export function enterNewNetworkNamespace(): void {
  if (c.unshare(CLONE_NEWNET) < 0) {
    const code = errno();
    throw new SocketError('unshare', code, 'CLONE_NEWNET', c.strerror(code));
  }
}
