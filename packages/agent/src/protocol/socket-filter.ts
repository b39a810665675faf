import type { TcpSocketEntry, TcpState } from '@sockspec/inspector';
import type { SocketFilter } from './api';

/** True when the entry has every property the filter names. */
export function matchesFilter(entry: TcpSocketEntry, filter: SocketFilter): boolean {
  if (filter.state !== undefined) {
    const states: readonly TcpState[] =
      typeof filter.state === 'string' ? [filter.state] : filter.state;
    if (!states.includes(entry.state)) return false;
  }
  if (filter.localPort !== undefined && entry.local.port !== filter.localPort) return false;
  if (filter.remotePort !== undefined && entry.remote.port !== filter.remotePort) return false;
  if (filter.localAddress !== undefined && !sameAddress(entry.local.address, filter.localAddress))
    return false;
  if (
    filter.remoteAddress !== undefined &&
    !sameAddress(entry.remote.address, filter.remoteAddress)
  ) {
    return false;
  }
  return true;
}

/**
 * Whether two address texts name one address: an IPv4 peer of a dual-stack IPv6 socket is listed in tcp6 as
 * ::ffff:127.0.0.1, which a filter may name as 127.0.0.1; IPv6 texts compare without case.
 */
function sameAddress(listed: string, wanted: string): boolean {
  const plain = (address: string): string =>
    address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  return plain(listed) === plain(wanted);
}

export function filterEntries(
  entries: readonly TcpSocketEntry[],
  filter: SocketFilter,
): TcpSocketEntry[] {
  return entries.filter((entry) => matchesFilter(entry, filter));
}

/** A short text for messages: `state=CLOSE_WAIT localPort=8080`. */
export function describeFilter(filter: SocketFilter): string {
  const parts = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('|') : String(value)}`);
  return parts.length > 0 ? parts.join(' ') : 'any socket';
}
