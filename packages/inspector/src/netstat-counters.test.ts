import { parseNetstat } from './netstat-counters';

const RECORDED = `TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TW
TcpExt: 1 0 4 4 17
IpExt: InNoRoutes InTruncatedPkts
IpExt: 0 0
MPTcpExt: MPCapableSYNRX
MPTcpExt: 0
`;

describe('parseNetstat', () => {
  it('pairs each section’s names with its values', () => {
    expect(parseNetstat(RECORDED)).toEqual({
      TcpExt: { SyncookiesSent: 1, SyncookiesRecv: 0, ListenOverflows: 4, ListenDrops: 4, TW: 17 },
      IpExt: { InNoRoutes: 0, InTruncatedPkts: 0 },
      MPTcpExt: { MPCapableSYNRX: 0 },
    });
  });

  it('skips a pair whose lines do not line up', () => {
    expect(parseNetstat('TcpExt: A B\nTcpExt: 1\nIpExt: C\nIpExt: 2\n')).toEqual({
      IpExt: { C: 2 },
    });
  });
});
