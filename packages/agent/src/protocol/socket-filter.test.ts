import type { TcpSocketEntry } from '@sockspec/inspector';
import { tcpSocketEntry } from '@sockspec/test-support';
import { describeFilter, filterEntries, matchesFilter } from './socket-filter';

const entry = (
  state: TcpSocketEntry['state'],
  localPort: number,
  remotePort: number,
): TcpSocketEntry => tcpSocketEntry(state, localPort, remotePort, { inode: 1 });

describe('matchesFilter', () => {
  it('matches every socket when the filter is empty', () => {
    expect(matchesFilter(entry('LISTEN', 8080, 0), {})).toBe(true);
  });

  it('requires every named field to match', () => {
    const closeWait = entry('CLOSE_WAIT', 8080, 40000);
    expect(matchesFilter(closeWait, { state: 'CLOSE_WAIT', localPort: 8080 })).toBe(true);
    expect(matchesFilter(closeWait, { state: 'CLOSE_WAIT', localPort: 8081 })).toBe(false);
    expect(matchesFilter(closeWait, { remoteAddress: '::1' })).toBe(false);
  });

  it('matches an IPv4 peer of a dual-stack socket by its IPv4 address, and IPv6 addresses without case', () => {
    const mapped: TcpSocketEntry = {
      ...entry('ESTABLISHED', 8080, 40000),
      family: 'ipv6',
      local: { address: '::ffff:127.0.0.1', port: 8080 },
      remote: { address: 'FE80::1', port: 40000 },
    };
    expect(matchesFilter(mapped, { localAddress: '127.0.0.1' })).toBe(true);
    expect(matchesFilter(mapped, { localAddress: '::ffff:127.0.0.1' })).toBe(true);
    expect(matchesFilter(mapped, { remoteAddress: 'fe80::1' })).toBe(true);
    expect(matchesFilter(mapped, { localAddress: '127.0.0.2' })).toBe(false);
  });

  it('accepts a list of states as any of them', () => {
    expect(matchesFilter(entry('LAST_ACK', 1, 2), { state: ['CLOSE_WAIT', 'LAST_ACK'] })).toBe(
      true,
    );
    expect(matchesFilter(entry('TIME_WAIT', 1, 2), { state: ['CLOSE_WAIT', 'LAST_ACK'] })).toBe(
      false,
    );
  });
});

describe('filterEntries', () => {
  it('keeps only the matching entries, in order', () => {
    const entries = [
      entry('LISTEN', 80, 0),
      entry('ESTABLISHED', 80, 5),
      entry('ESTABLISHED', 5, 80),
    ];
    expect(filterEntries(entries, { localPort: 80 })).toEqual(entries.slice(0, 2));
  });
});

describe('describeFilter', () => {
  it('names the fields that are set', () => {
    expect(describeFilter({ state: ['SYN_SENT', 'ESTABLISHED'], remotePort: 80 })).toBe(
      'state=SYN_SENT|ESTABLISHED remotePort=80',
    );
    expect(describeFilter({})).toBe('any socket');
  });
});
