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

  it('takes --flag=value, a repeated --state, -h and --help', () => {
    expect(
      parseInspectArgs(['--port=80', '--state', 'listen', '--state', 'estab,time-wait']),
    ).toMatchObject({
      ok: true,
      options: { port: 80, states: ['LISTEN', 'ESTABLISHED', 'TIME_WAIT'] },
    });
    expect(parseInspectArgs(['-h'])).toEqual({ ok: 'help' });
    expect(parseInspectArgs(['--json', '--help'])).toEqual({ ok: 'help' });
  });

  // Our own checks, word for word.
  it.each([
    [['--port', '70000'], "--port must be an integer from 1 to 65535, not '70000'"],
    [['--port', '-1'], "--port must be an integer from 1 to 65535, not '-1'"],
    [['--local-port=0'], "--local-port must be an integer from 1 to 65535, not '0'"],
    [['--state', 'SLEEPY'], "unknown state 'SLEEPY'"],
    [['--state', 'LISTEN,nope'], "unknown state 'nope'"],
    [['--watch', '0'], "--watch must be an integer from 1 to 3600000, not '0'"],
    [['--pid', '1.5'], "--pid must be an integer from 1 to 4194304, not '1.5'"],
  ])('refuses %j: %s', (argv, error) => {
    expect(parseInspectArgs(argv)).toEqual({ ok: false, error });
  });

  // parseArgs's own refusals: their first sentence, which names the flag or the argument.
  it.each([
    [['--port'], "Option '--port <value>' argument missing"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--json=yes'], "Option '--json' does not take an argument"],
    [['extra'], "unexpected argument 'extra'"],
  ])('refuses %j: %s', (argv, error) => {
    const parsed = parseInspectArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.error).toContain(error);
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
