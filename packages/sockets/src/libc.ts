/**
 * libc's socket calls, bound with koffi. The only file that imports koffi: everything else goes through the
 * typed wrapper in socket.ts. Each function returns the raw result; `errno()` reads errno right after a failure.
 */
import type * as Koffi from 'koffi' with { 'resolution-mode': 'import' };

// koffi ships CommonJS (index.cjs) under ESM-only typings: load it with require, type it from the ESM side.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const koffi = require('koffi') as typeof Koffi;

const libc = koffi.load('libc.so.6');
const closeCall = libc.func('int close(int fd)');
const pollCall = libc.func('int poll(_Inout_ void *fds, unsigned long count, int timeout)');

/** A `socklen_t *` in-out length: koffi writes the kernel's value back into element 0. */
export type LengthCell = [number];

export const libcCalls = {
  socket: libc.func('int socket(int domain, int type, int protocol)') as (
    domain: number,
    type: number,
    protocol: number,
  ) => number,
  setsockopt: libc.func(
    'int setsockopt(int fd, int level, int name, const void *value, uint32_t length)',
  ) as (fd: number, level: number, name: number, value: Buffer, length: number) => number,
  getsockopt: libc.func(
    'int getsockopt(int fd, int level, int name, _Out_ void *value, _Inout_ uint32_t *length)',
  ) as (fd: number, level: number, name: number, value: Buffer, length: LengthCell) => number,
  bind: libc.func('int bind(int fd, const void *address, uint32_t length)') as (
    fd: number,
    address: Buffer,
    length: number,
  ) => number,
  listen: libc.func('int listen(int fd, int backlog)') as (fd: number, backlog: number) => number,
  accept4: libc.func(
    'int accept4(int fd, _Out_ void *address, _Inout_ uint32_t *length, int flags)',
  ) as (fd: number, address: Buffer, length: LengthCell, flags: number) => number,
  connect: libc.func('int connect(int fd, const void *address, uint32_t length)') as (
    fd: number,
    address: Buffer,
    length: number,
  ) => number,
  shutdown: libc.func('int shutdown(int fd, int how)') as (fd: number, how: number) => number,
  unshare: libc.func('int unshare(int flags)') as (flags: number) => number,
  close: closeCall as (fd: number) => number,
  /**
   * close() on one of koffi's worker threads: `done` runs on the main thread once it returned, and errno() read
   * inside `done` is the errno of that call (koffi carries it over).
   */
  closeOnWorker: (fd: number, done: (error: unknown, result: number) => void): void => {
    closeCall.async(fd, done);
  },
  send: libc.func('intptr_t send(int fd, const void *data, size_t length, int flags)') as (
    fd: number,
    data: Buffer,
    length: number,
    flags: number,
  ) => number,
  recv: libc.func('intptr_t recv(int fd, _Out_ void *data, size_t length, int flags)') as (
    fd: number,
    data: Buffer,
    length: number,
    flags: number,
  ) => number,
  getsockname: libc.func(
    'int getsockname(int fd, _Out_ void *address, _Inout_ uint32_t *length)',
  ) as (fd: number, address: Buffer, length: LengthCell) => number,
  getpeername: libc.func(
    'int getpeername(int fd, _Out_ void *address, _Inout_ uint32_t *length)',
  ) as (fd: number, address: Buffer, length: LengthCell) => number,
  poll: pollCall as (fds: Buffer, count: number, timeout: number) => number,
  /**
   * poll() on one of koffi's worker threads, so the main thread sleeps in its event loop meanwhile: `done` runs on
   * the main thread once it returned, with `fds` updated. errno() inside `done` is that call's errno.
   */
  pollOnWorker: (
    fds: Buffer,
    count: number,
    timeout: number,
    done: (error: unknown, result: number) => void,
  ): void => {
    pollCall.async(fds, count, timeout, done);
  },
  pipe2: libc.func('int pipe2(_Out_ void *fds, int flags)') as (
    fds: Buffer,
    flags: number,
  ) => number,
  read: libc.func('intptr_t read(int fd, _Out_ void *data, size_t length)') as (
    fd: number,
    data: Buffer,
    length: number,
  ) => number,
  write: libc.func('intptr_t write(int fd, const void *data, size_t length)') as (
    fd: number,
    data: Buffer,
    length: number,
  ) => number,
  strerror: libc.func('const char *strerror(int errno)') as (errno: number) => string,
};

export function errno(): number {
  return koffi.errno();
}
