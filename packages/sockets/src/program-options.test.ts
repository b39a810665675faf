import { parseClientArgs } from './client-options';
import { parseServerArgs } from './server-options';

describe('sockspec-server arguments', () => {
  it("defaults to the article's server: 0.0.0.0, backlog 2, accepting, never closing", () => {
    expect(parseServerArgs(['8080'])).toEqual({
      ok: true,
      options: {
        port: 8080,
        address: '0.0.0.0',
        backlog: 2,
        accept: true,
        closeAfterSeconds: undefined,
        reuseAddr: false,
        reusePort: false,
        lingerSeconds: undefined,
      },
    });
  });

  it('reads every behaviour flag', () => {
    const parsed = parseServerArgs(
      '9000 ::1 --backlog 0 --no-accept --close-after 0.5 --reuseaddr --reuseport --linger 0'.split(
        ' ',
      ),
    );
    expect(parsed).toMatchObject({
      ok: true,
      options: {
        port: 9000,
        address: '::1',
        backlog: 0,
        accept: false,
        closeAfterSeconds: 0.5,
        reuseAddr: true,
        reusePort: true,
        lingerSeconds: 0,
      },
    });
  });

  it.each([
    [[], 'missing port'],
    [['70000'], 'port'],
    [['80', 'not-an-ip'], 'ip'],
    [['80', '--backlog', 'two'], 'integer'],
    [['80', '--backlog'], 'needs a value'],
    [['80', '--frobnicate'], 'unknown option'],
    [['80', '127.0.0.1', 'extra'], 'unexpected'],
  ])('refuses %j as bad usage (%s)', (argv, reason) => {
    const parsed = parseServerArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.error).toContain(reason);
  });

  it('answers --help', () => {
    expect(parseServerArgs(['--help'])).toEqual({ ok: 'help' });
  });
});

describe('sockspec-client arguments', () => {
  it('reads the telnet role and its flags', () => {
    expect(
      parseClientArgs(
        '127.0.0.1 9000 --count 5 --send hi --shutdown write --close-after 1 --linger 0'.split(' '),
      ),
    ).toEqual({
      ok: true,
      options: {
        address: '127.0.0.1',
        port: 9000,
        count: 5,
        send: 'hi',
        shutdown: 'write',
        closeAfterSeconds: 1,
        closeOnEof: false,
        lingerSeconds: 0,
        reuseAddr: false,
      },
    });
    expect(parseClientArgs(['127.0.0.1', '9000', '--close-on-eof'])).toMatchObject({
      ok: true,
      options: { closeOnEof: true },
    });
  });

  it('refuses port 0, a bad shutdown direction and a count of 0', () => {
    expect(parseClientArgs(['127.0.0.1', '0']).ok).toBe(false);
    expect(parseClientArgs(['127.0.0.1', '80', '--shutdown', 'sideways']).ok).toBe(false);
    expect(parseClientArgs(['127.0.0.1', '80', '--count', '0']).ok).toBe(false);
  });
});
