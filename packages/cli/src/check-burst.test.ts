import { burstLines, burstReport, listenerQueues, type BurstReading } from './check-burst';

const SS = [
  'LISTEN 0      511          0.0.0.0:80        0.0.0.0:*',
  'LISTEN 0      511             [::]:80           [::]:*',
  'LISTEN 2      4096         0.0.0.0:7070      0.0.0.0:*',
].join('\n');

function reading(overrides: Partial<BurstReading>): BurstReading {
  return {
    port: 80,
    connections: 200,
    connected: 200,
    clientErrors: [],
    listeners: SS,
    somaxconn: 4096,
    countersBefore: { ListenOverflows: 1, ListenDrops: 1, SyncookiesSent: 0 },
    countersAfter: { ListenOverflows: 1, ListenDrops: 1, SyncookiesSent: 0 },
    ...overrides,
  };
}

describe('the burst check', () => {
  it("reads each listener's queues from ss -Hltn", () => {
    expect(listenerQueues(`${SS}\n\n`)).toEqual([
      { local: '0.0.0.0:80', recvQ: 0, sendQ: 511 },
      { local: '[::]:80', recvQ: 0, sendQ: 511 },
      { local: '0.0.0.0:7070', recvQ: 2, sendQ: 4096 },
    ]);
  });

  it("passes a burst the accept queue took, with the port's backlog", () => {
    const report = burstReport(reading({}));
    expect(report).toMatchObject({
      status: 'ok',
      backlog: 511,
      somaxconn: 4096,
      listenOverflows: 0,
    });
    expect(burstLines(report, 80).join('\n')).toContain(
      'backlog:       511 (ss Send-Q on port 80), net.core.somaxconn 4096',
    );
  });

  it('faults an overflowing accept queue with the counters that grew, and says when somaxconn cut the backlog', () => {
    const report = burstReport(
      reading({
        listeners: 'LISTEN 5      5          0.0.0.0:80        0.0.0.0:*',
        somaxconn: 5,
        countersAfter: {
          ListenOverflows: 41,
          ListenDrops: 41,
          SyncookiesSent: 3,
          TCPReqQFullDoCookies: 3,
        },
      }),
    );
    expect(report).toMatchObject({
      status: 'fault',
      backlog: 5,
      listenOverflows: 40,
      listenDrops: 40,
      syncookiesSent: 3,
      reqQFullDoCookies: 3,
    });
    const lines = burstLines(report, 80).join('\n');
    expect(lines).toContain('(= somaxconn: a larger backlog asked for is cut to it)');
    expect(lines).toContain(
      'FAULT: the accept queue overflowed: 40 overflow(s), 40 drop(s) with a backlog of 5',
    );
  });

  it('calls a burst with no listener on the port in ss untested', () => {
    expect(burstReport(reading({ port: 8080 })).status).toBe('inconclusive');
  });
});
