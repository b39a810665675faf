import { UsageError, numberFlag, parseFlags, readOptions, wordFlag } from './index';

const FLAGS = { backlog: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('parseFlags', () => {
  it('takes the word after a value-taking flag as its value, even one that starts with a dash', () => {
    expect(parseFlags(['--backlog', '-1', 'rest'], FLAGS)).toMatchObject({
      values: { backlog: '-1' },
      positionals: ['rest'],
    });
  });

  it('knows --help and -h, and leaves everything after -- as positionals', () => {
    expect(parseFlags(['-h', '--', '--json'], FLAGS)).toMatchObject({
      values: { help: true },
      positionals: ['--json'],
    });
  });
});

describe('readOptions', () => {
  it("turns parseArgs's refusal and a UsageError into the mistake's sentence", () => {
    expect(readOptions(() => parseFlags(['--nope'], FLAGS))).toMatchObject({ ok: false });
    expect(
      readOptions(() => {
        throw new UsageError('missing port');
      }),
    ).toEqual({ ok: false, error: 'missing port' });
  });

  it('answers help, or the options', () => {
    expect(readOptions(() => 'help')).toEqual({ ok: 'help' });
    expect(readOptions(() => 5)).toEqual({ ok: true, options: 5 });
  });

  it('lets any other error through', () => {
    expect(() =>
      readOptions(() => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });
});

describe('numberFlag', () => {
  const port = { min: 1, max: 65535 };

  it('reads a number in its range, and nothing when the flag is absent', () => {
    expect(numberFlag('8080', 'port', port)).toBe(8080);
    expect(numberFlag(undefined, 'port', port)).toBeUndefined();
    expect(numberFlag('2.5', 'hold', { min: 0, max: 10, integer: false })).toBe(2.5);
  });

  it.each(['0', '65536', '0x10', '1e3', ' 5', 'Infinity', '2.5', ''])(
    "refuses '%s' as a port",
    (text) => {
      expect(() => numberFlag(text, 'port', port)).toThrow(UsageError);
    },
  );

  it('refuses a switch where a number belongs', () => {
    expect(() => numberFlag(true, 'port', port)).toThrow(
      "--port must be an integer from 1 to 65535, not 'true'",
    );
  });
});

describe('wordFlag', () => {
  it('takes one of its words, and refuses any other', () => {
    expect(wordFlag('fin', 'segments', ['fin', 'rst'])).toBe('fin');
    expect(() => wordFlag('syn', 'segments', ['fin', 'rst'])).toThrow(UsageError);
  });
});
