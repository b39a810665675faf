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
  if (filter.localAddress !== undefined && entry.local.address !== filter.localAddress)
    return false;
  if (filter.remoteAddress !== undefined && entry.remote.address !== filter.remoteAddress) {
    return false;
  }
  return true;
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
