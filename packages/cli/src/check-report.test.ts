import type { TcpSocketEntry, TcpState } from '@sockspec/inspector';
import { checkExitCode, checkReport, formatCheckReport, type CheckReading } from './check-report';

const PORT = 8080;

function entry(state: TcpState, localPort: number, remotePort: number): TcpSocketEntry {
  return {
    family: 'ipv4',
    state,
    local: { address: '127.0.0.1', port: localPort },
    remote: { address: '127.0.0.1', port: remotePort },
    txQueue: 0,
    rxQueue: 0,
    timer: { kind: 'none', remainingMs: 0 },
    retransmits: 0,
    uid: 0,
    timeouts: 0,
    inode: 0,
  };
}

function reading(entries: TcpSocketEntry[]): CheckReading {
  return {
    target: 'container:abc',
    kernel: '6.1.0',
    command: ['node', 'server.js', '--port', String(PORT)],
    port: PORT,
    clients: 3,
    holdSeconds: 5,
    connected: 3,
    clientErrors: [],
    entries,
    countersBefore: { ListenOverflows: 2, ListenDrops: 2 },
    countersAfter: { ListenOverflows: 5, ListenDrops: 6 },
  };
}

describe('what sockspec check makes of the table', () => {
  it('finds nothing leaked when the clients hold TIME_WAIT and the server only listens', () => {
    const report = checkReport(
      reading([
        entry('LISTEN', PORT, 0),
        ...[1, 2, 3].map((n) => entry('TIME_WAIT', 40000 + n, PORT)),
      ]),
    );
    expect(report).toMatchObject({
      closeWait: 0,
      leaked: false,
      timeWait: { server: 0, client: 3, holder: 'client' },
      states: { server: { LISTEN: 1 }, client: { TIME_WAIT: 3 } },
    });
    expect(checkExitCode(report)).toBe(0);
    expect(formatCheckReport(report)).toContain(
      'ok: no connection left in CLOSE_WAIT on port 8080',
    );
  });

  it('counts CLOSE_WAIT on the server side as a leak, and exits 1 naming the count', () => {
    const report = checkReport(
      reading([
        entry('LISTEN', PORT, 0),
        ...[1, 2].map((n) => entry('CLOSE_WAIT', PORT, 40000 + n)),
        ...[1, 2].map((n) => entry('FIN_WAIT2', 40000 + n, PORT)),
      ]),
    );
    expect(report).toMatchObject({ closeWait: 2, leaked: true });
    expect(checkExitCode(report)).toBe(1);
    expect(formatCheckReport(report)).toContain(
      'LEAK: 2 connection(s) left in CLOSE_WAIT on port 8080',
    );
  });

  it('tells which side holds TIME_WAIT by its ports, and ignores other ports', () => {
    const report = checkReport(
      reading([
        entry('TIME_WAIT', PORT, 40001),
        entry('TIME_WAIT', 40002, PORT),
        entry('CLOSE_WAIT', 9000, 40003),
      ]),
    );
    expect(report.timeWait).toEqual({ server: 1, client: 1, holder: 'both' });
    expect(report.closeWait).toBe(0);
  });

  it("reports the accept queue's counters as their change over the check", () => {
    expect(checkReport(reading([]))).toMatchObject({ listenOverflows: 3, listenDrops: 4 });
  });
});
