/** Linux errno numbers (x86_64 and arm64 share them) to their names, and a hint for the ones these scenarios meet. */
export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM',
  2: 'ENOENT',
  4: 'EINTR',
  9: 'EBADF',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  22: 'EINVAL',
  23: 'ENFILE',
  24: 'EMFILE',
  32: 'EPIPE',
  88: 'ENOTSOCK',
  92: 'ENOPROTOOPT',
  93: 'EPROTONOSUPPORT',
  94: 'ESOCKTNOSUPPORT',
  95: 'EOPNOTSUPP',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  100: 'ENETDOWN',
  101: 'ENETUNREACH',
  103: 'ECONNABORTED',
  104: 'ECONNRESET',
  105: 'ENOBUFS',
  106: 'EISCONN',
  107: 'ENOTCONN',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  113: 'EHOSTUNREACH',
  114: 'EALREADY',
  115: 'EINPROGRESS',
};

const HINTS: Readonly<Record<string, string>> = {
  EADDRINUSE:
    'another socket holds this address and port: a live listener, or TIME_WAIT entries when SO_REUSEADDR is not set',
  EADDRNOTAVAIL:
    'no local address/port pair is left (ephemeral ports held by TIME_WAIT?), or the address is not on this host',
  ECONNREFUSED: 'nothing listens on that address and port (the peer answered the SYN with RST)',
  ECONNRESET:
    'the peer reset the connection (RST): SO_LINGER 0, unread data at close(), or an aborted socket',
  ETIMEDOUT: 'the peer never answered: SYN or data retransmissions ran out',
  EPIPE: 'the connection was shut down for writing or closed by the peer',
  ENOTCONN: 'the socket is not connected (yet, or any more)',
  EINVAL: 'the call does not fit the socket state (listen before bind? bind twice?)',
  EACCES: 'ports below 1024 need CAP_NET_BIND_SERVICE',
  EPERM: 'the kernel refused: a capability (NET_ADMIN?) is missing',
  EMFILE: 'this process has no file descriptors left (ulimit -n)',
  EAFNOSUPPORT: 'the address family does not match the socket (IPv6 address on an IPv4 socket?)',
};

export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `E${errno}`;
}

export function errnoHint(name: string): string | undefined {
  return HINTS[name];
}
