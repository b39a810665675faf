/**
 * What a socket of the kernel's TCP table holds when a test needs one: every field of inspector's TcpSocketEntry at
 * its quiet value (IPv4, no queue, no timer, inode 0). Spelt here rather than imported, because inspector's own
 * tests use this package; a test that hands the entry to code typed with TcpSocketEntry checks the shape.
 */
const QUIET = {
  family: 'ipv4' as 'ipv4' | 'ipv6',
  txQueue: 0,
  rxQueue: 0,
  timer: { kind: 'none' as const, remainingMs: 0 },
  retransmits: 0,
  uid: 0,
  timeouts: 0,
  inode: 0,
};

interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** A socket entry: the given fields in place of the quiet ones. */
export type SocketEntryOf<State extends string, Fields extends object> = Omit<
  typeof QUIET & { readonly state: State; readonly local: Endpoint; readonly remote: Endpoint },
  keyof Fields
> &
  Fields;

/**
 * A TCP socket in `state` between 127.0.0.1:localPort and 127.0.0.1:remotePort (0: none, as for a listener), with
 * any other field given in `fields` (an address, a timer, an inode).
 */
export function tcpSocketEntry<State extends string, Fields extends object = Record<never, never>>(
  state: State,
  localPort: number,
  remotePort: number,
  fields = {} as Fields,
): SocketEntryOf<NoInfer<State>, NoInfer<Fields>> {
  const quiet = {
    ...QUIET,
    state,
    local: { address: '127.0.0.1', port: localPort },
    remote: { address: '127.0.0.1', port: remotePort },
  };
  return Object.assign(quiet, fields);
}
