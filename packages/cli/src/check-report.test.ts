import type { TcpSocketEntry } from '@sockspec/inspector';
import { tcpSocketEntry as entry } from '@sockspec/test-support';
import type { CheckName } from './check-args';
import type { CloseWaitReading } from './check-close-wait';
import { checkExitCode, checkReport, formatCheckReport, type CheckReading } from './check-report';
import type { RestartReading } from './check-restart';

const PORT = 8080;

function closeWait(entries: TcpSocketEntry[]): CloseWaitReading {
  return {
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

function reading(parts: Partial<CheckReading>, checks: CheckName[]): CheckReading {
  return {
    target: 'container:abc',
    kernel: '6.1.0',
    server: '`node server.js --port 8080`',
    host: '127.0.0.1',
    port: PORT,
    checks,
    notRun: [],
    ...parts,
  };
}

const closeWaitOnly = (entries: TcpSocketEntry[]): CheckReading =>
  reading({ closeWait: closeWait(entries) }, ['close-wait']);

/** A restart that listened again 300 ms after the signal, beside `timeWait` TIME_WAIT entries. */
function restart(timeWait: number, output = ''): RestartReading {
  return {
    port: PORT,
    signal: 'SIGTERM',
    signalTime: 1000,
    stop: { code: 0, finishedAt: 1100, killed: false, graceMs: 10_000 },
    entriesAtRestart: Array.from({ length: timeWait }, (_, n) =>
      entry('TIME_WAIT', PORT, 40000 + n),
    ),
    listenTime: 1300,
    listenWithinMs: 30_000,
    restartExitCode: undefined,
    restartOutput: output,
  };
}

describe('what sockspec check makes of the table (close-wait)', () => {
  it('finds nothing leaked when the clients hold TIME_WAIT and the server only listens', () => {
    const report = checkReport(
      closeWaitOnly([
        entry('LISTEN', PORT, 0),
        ...[1, 2, 3].map((n) => entry('TIME_WAIT', 40000 + n, PORT)),
      ]),
    );
    expect(report.closeWait).toMatchObject({
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

  it('counts CLOSE_WAIT on the server side as a leak, and exits 1 naming the check and the count', () => {
    const report = checkReport(
      closeWaitOnly([
        entry('LISTEN', PORT, 0),
        ...[1, 2].map((n) => entry('CLOSE_WAIT', PORT, 40000 + n)),
        ...[1, 2].map((n) => entry('FIN_WAIT2', 40000 + n, PORT)),
      ]),
    );
    expect(report.closeWait).toMatchObject({ closeWait: 2, leaked: true });
    expect(report.faults).toEqual(['close-wait']);
    expect(checkExitCode(report)).toBe(1);
    const text = formatCheckReport(report);
    expect(text).toContain('LEAK: 2 connection(s) left in CLOSE_WAIT on port 8080');
    expect(text).toMatch(/FAULT in close-wait \(LEAK: 2 connection\(s\) left in CLOSE_WAIT\)\n$/);
  });

  it('tells which side holds TIME_WAIT by its ports, and ignores other ports', () => {
    const report = checkReport(
      closeWaitOnly([
        entry('TIME_WAIT', PORT, 40001),
        entry('TIME_WAIT', 40002, PORT),
        entry('CLOSE_WAIT', 9000, 40003),
      ]),
    );
    expect(report.closeWait?.timeWait).toEqual({ server: 1, client: 1, holder: 'both' });
    expect(report.closeWait?.closeWait).toBe(0);
  });

  it('reads an IPv6 table as an IPv4 one, matching by port, and shows the address the clients used', () => {
    const v6 = (state: string, local: number, remote: number): TcpSocketEntry =>
      entry(state as TcpSocketEntry['state'], local, remote, {
        family: 'ipv6' as const,
        local: { address: '::1', port: local },
        remote: { address: remote === 0 ? '::' : '::1', port: remote },
      });
    const report = checkReport(
      reading(
        {
          host: '::1',
          closeWait: closeWait([
            v6('LISTEN', PORT, 0),
            v6('CLOSE_WAIT', PORT, 40001),
            v6('FIN_WAIT2', 40001, PORT),
            v6('TIME_WAIT', 40002, PORT),
          ]),
        },
        ['close-wait'],
      ),
    );
    expect(report.closeWait).toMatchObject({
      closeWait: 1,
      timeWait: { server: 0, client: 1, holder: 'client' },
    });
    expect(formatCheckReport(report)).toMatch(/^sockspec check: .*, clients to \[::1\]:8080\n/);
  });

  it("reports the accept queue's counters as their change over the check", () => {
    expect(checkReport(closeWaitOnly([])).closeWait).toMatchObject({
      listenOverflows: 3,
      listenDrops: 4,
    });
  });
});

describe("sockspec check's verdict over several checks", () => {
  it('names every faulty check, and exits 1 even when another could not tell', () => {
    const report = checkReport(
      reading(
        {
          closeWait: closeWait([entry('CLOSE_WAIT', PORT, 40001)]),
          restart: restart(2, 'OSError: [Errno 98] Address already in use'),
          notRun: [{ check: 'shutdown', why: 'the server did not listen again after the restart' }],
        },
        ['close-wait', 'restart', 'shutdown'],
      ),
    );
    expect(report).toMatchObject({ faults: ['close-wait', 'restart'], untested: ['shutdown'] });
    expect(checkExitCode(report)).toBe(1);
    const text = formatCheckReport(report);
    expect(text).toContain('shutdown: not run: the server did not listen again after the restart');
    expect(text).toContain('FAULT in close-wait, restart');
  });

  it('exits 3 when nothing is faulty but a check had nothing to test against', () => {
    const report = checkReport(reading({ restart: restart(0) }, ['restart']));
    expect(report).toMatchObject({ faults: [], untested: ['restart'] });
    expect(checkExitCode(report)).toBe(3);
    expect(formatCheckReport(report)).toContain('no fault found, but not tested: restart');
  });

  it('exits 0 and says so when every check is clean', () => {
    const report = checkReport(
      reading({ closeWait: closeWait([]), restart: restart(3) }, ['close-wait', 'restart']),
    );
    expect(checkExitCode(report)).toBe(0);
    expect(formatCheckReport(report)).toMatch(/ok: close-wait, restart: nothing wrong found\n$/);
  });
});
