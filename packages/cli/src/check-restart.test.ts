import { tcpSocketEntry as entry } from '@sockspec/test-support';
import { restartLines, restartReport, type RestartReading } from './check-restart';

const PORT = 80;

function reading(overrides: Partial<RestartReading>): RestartReading {
  return {
    port: PORT,
    signal: 'SIGTERM',
    signalTime: 10_000,
    stop: { code: 0, finishedAt: 10_040, killed: false, graceMs: 10_000 },
    entriesAtRestart: [
      ...[1, 2, 3].map((n) => entry('TIME_WAIT', PORT, 40000 + n)),
      entry('TIME_WAIT', 40009, 9000),
    ],
    listenTime: 10_250,
    listenWithinMs: 30_000,
    restartExitCode: undefined,
    restartOutput: '',
    ...overrides,
  };
}

describe('the restart check', () => {
  it("passes a server that listens again beside its port's TIME_WAIT, with the times from the signal", () => {
    const report = restartReport(reading({}));
    expect(report).toMatchObject({
      status: 'ok',
      stoppedInMs: 40,
      restartMs: 250,
      startMs: 210,
      timeWaitAtRestart: 3,
      addressInUse: [],
      listening: true,
    });
    expect(restartLines(report, PORT)).toContain(
      '  ok: it listened again beside 3 TIME_WAIT entries',
    );
  });

  it('faults a restart that printed EADDRINUSE and never listened, quoting what it printed', () => {
    const report = restartReport(
      reading({
        listenTime: undefined,
        restartExitCode: 1,
        restartOutput:
          'Traceback (most recent call last):\n  listener.bind(("0.0.0.0", port))\nOSError: [Errno 98] Address already in use\n',
      }),
    );
    expect(report).toMatchObject({
      status: 'fault',
      listening: false,
      restartExitCode: 1,
      addressInUse: ['OSError: [Errno 98] Address already in use'],
    });
    const lines = restartLines(report, PORT).join('\n');
    expect(lines).toContain('never listened again (exited 1)');
    expect(lines).toContain(
      'FAULT: the restart met EADDRINUSE while port 80 held 3 TIME_WAIT entries',
    );
  });

  it("faults nginx's retried bind even when a later try listened", () => {
    const report = restartReport(
      reading({
        restartOutput:
          'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\nnginx: [emerg] still could not bind()\n',
      }),
    );
    expect(report.status).toBe('fault');
    expect(report.addressInUse).toEqual([
      'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)',
    ]);
  });

  it('calls a restart with no TIME_WAIT on the port untested, not passed', () => {
    const report = restartReport(reading({ entriesAtRestart: [] }));
    expect(report.status).toBe('inconclusive');
    expect(restartLines(report, PORT).at(-1)).toContain('not tested');
  });

  it('says when the server had to be killed after the grace', () => {
    const report = restartReport(
      reading({ stop: { code: 137, finishedAt: 20_100, killed: true, graceMs: 10_000 } }),
    );
    expect(restartLines(report, PORT)[0]).toContain('killed (SIGKILL) 10100 ms after SIGTERM');
  });
});
