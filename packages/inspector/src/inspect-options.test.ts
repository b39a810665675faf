import { parseInspectArgs } from './inspect-options';
import { normalizeStateName } from './tcp-state';

describe('sockspec-inspect arguments', () => {
  it('reads filters, JSON and watch', () => {
    expect(
      parseInspectArgs([
        '--json',
        '--port',
        '8080',
        '--state',
        'close_wait,FIN-WAIT-2',
        '--watch',
        '100',
      ]),
    ).toEqual({
      ok: true,
      options: {
        json: true,
        port: 8080,
        localPort: undefined,
        states: ['CLOSE_WAIT', 'FIN_WAIT2'],
        pid: undefined,
        processes: false,
        watchMs: 100,
      },
    });
  });

  it.each([
    [['--port', '70000']],
    [['--port']],
    [['--state', 'SLEEPY']],
    [['--watch', '0']],
    [['--bogus']],
  ])('refuses %j', (argv) => {
    expect(parseInspectArgs(argv).ok).toBe(false);
  });
});

describe('normalizeStateName', () => {
  it("accepts ss's, netstat's and the kernel's spellings", () => {
    expect(normalizeStateName('ESTAB')).toBe('ESTABLISHED');
    expect(normalizeStateName('fin-wait-2')).toBe('FIN_WAIT2');
    expect(normalizeStateName('FIN_WAIT_1')).toBe('FIN_WAIT1');
    expect(normalizeStateName('time-wait')).toBe('TIME_WAIT');
    expect(normalizeStateName('nope')).toBeUndefined();
  });
});
