import type { Segment } from '@sockspec/testkit';

type TcpFlag = Segment['flags'][number];
import { shutdownLines, shutdownReport, type ShutdownReading } from './check-shutdown';

const PORT = 80;
const SIGNAL_AT = 50_000;

/** A segment from the server's port to a client's at `ms` after the signal. */
function fromServer(clientPort: number, ms: number, ...flags: TcpFlag[]): Segment {
  return {
    time: SIGNAL_AT + ms,
    from: { address: '127.0.0.1', port: PORT },
    to: { address: '127.0.0.1', port: clientPort },
    flags: [...flags, 'ACK'],
    length: 0,
  };
}

function reading(overrides: Partial<ShutdownReading>): ShutdownReading {
  return {
    port: PORT,
    signal: 'SIGTERM',
    signalTime: SIGNAL_AT,
    stop: { code: 0, finishedAt: SIGNAL_AT + 30, killed: false, graceMs: 10_000 },
    connections: [
      { kind: 'idle', clientPort: 41001 },
      { kind: 'idle', clientPort: 41002 },
      { kind: 'in-flight', clientPort: 41003 },
    ],
    segments: [
      fromServer(41001, 12, 'FIN'),
      fromServer(41002, 13, 'FIN'),
      fromServer(41003, 14, 'FIN'),
    ],
    listenerGone: { time: SIGNAL_AT + 5, previousTime: SIGNAL_AT + 1 },
    ...overrides,
  };
}

describe('the shutdown check', () => {
  it('passes a server that ends every connection with FIN, its listener gone first', () => {
    const report = shutdownReport(reading({}));
    expect(report).toMatchObject({
      status: 'ok',
      fin: 3,
      rst: 0,
      stoppedInMs: 30,
      listenerClosedFirst: 'yes',
      listenerGoneMs: 5,
    });
    expect(report.connections.map((connection) => connection.afterMs)).toEqual([12, 13, 14]);
    expect(shutdownLines(report).join('\n')).toContain(
      'in-flight :41003  FIN, 14 ms after the signal',
    );
  });

  it('faults a connection dropped with RST, and names the count', () => {
    const report = shutdownReport(
      reading({
        segments: [
          fromServer(41001, 12, 'FIN'),
          fromServer(41002, 12, 'FIN'),
          fromServer(41003, 12, 'RST'),
        ],
      }),
    );
    expect(report).toMatchObject({ status: 'fault', fin: 2, rst: 1 });
    expect(shutdownLines(report).at(-1)).toContain(
      'FAULT: 1 connection(s) dropped with RST at shutdown, 2 drained',
    );
  });

  it('tells a listener that outlived the first FIN, and one within the same sample', () => {
    const after = shutdownReport(
      reading({ listenerGone: { time: SIGNAL_AT + 40, previousTime: SIGNAL_AT + 20 } }),
    );
    expect(after.listenerClosedFirst).toBe('no');
    const same = shutdownReport(
      reading({ listenerGone: { time: SIGNAL_AT + 14, previousTime: SIGNAL_AT + 8 } }),
    );
    expect(same.listenerClosedFirst).toBe('undetermined');
    expect(shutdownReport(reading({ listenerGone: undefined })).listenerClosedFirst).toBe(
      'unknown',
    );
  });

  it('counts a connection the server closed before the signal apart, and a missing end as untested', () => {
    const report = shutdownReport(
      reading({ segments: [fromServer(41001, -200, 'FIN'), fromServer(41002, 10, 'FIN')] }),
    );
    expect(report.connections.map((connection) => [connection.end, connection.afterMs])).toEqual([
      ['FIN', -200],
      ['FIN', 10],
      ['none', undefined],
    ]);
    expect(report).toMatchObject({ fin: 1, rst: 0, status: 'inconclusive' });
    expect(shutdownLines(report).join('\n')).toContain('200 ms before the signal (closed already)');
  });

  it('says when the server outlived the grace and was killed', () => {
    const report = shutdownReport(
      reading({
        stop: { code: 137, finishedAt: SIGNAL_AT + 10_050, killed: true, graceMs: 10_000 },
      }),
    );
    expect(shutdownLines(report)[0]).toContain(
      'still ran 10 s after SIGTERM: killed (SIGKILL), ended after 10050 ms',
    );
  });
});
