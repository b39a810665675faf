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

  it('takes a dash-led value after a flag, --flag=value, and -- before positionals', () => {
    expect(parseServerArgs(['0', '--backlog', '-1'])).toMatchObject({
      ok: true,
      options: { backlog: -1 },
    });
    expect(parseServerArgs(['0', '--backlog=5', '--', '::1'])).toMatchObject({
      ok: true,
      options: { port: 0, address: '::1', backlog: 5 },
    });
  });

  // Our own checks, word for word.
  it.each([
    [[], 'missing port'],
    [['70000'], "port must be an integer from 0 to 65535, not '70000'"],
    [['80', 'not-an-ip'], "ip must be an IPv4 or IPv6 address, not 'not-an-ip'"],
    [['80', '--backlog', 'two'], "--backlog must be an integer from -1 to 1048576, not 'two'"],
    [['80', '--backlog', '-2'], "--backlog must be an integer from -1 to 1048576, not '-2'"],
    [['80', '--backlog='], "--backlog must be an integer from -1 to 1048576, not ''"],
    [['80', '--close-after', '1e3'], "--close-after must be a number from 0 to 86400, not '1e3'"],
    [['80', '127.0.0.1', 'extra'], "unexpected argument 'extra'"],
  ])('refuses %j: %s', (argv, error) => {
    expect(parseServerArgs(argv)).toEqual({ ok: false, error });
  });

  // parseArgs's own refusals: their first sentence, which names the flag.
  it.each([
    [['80', '--backlog'], "Option '--backlog <value>' argument missing"],
    [['80', '--frobnicate'], "Unknown option '--frobnicate'."],
    [['-1', '127.0.0.1'], "Unknown option '-1'."],
    [['80', '--reuseaddr=yes'], "Option '--reuseaddr' does not take an argument"],
  ])('refuses %j: %s', (argv, error) => {
    const parsed = parseServerArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.error).toContain(error);
  });

  it('answers --help and -h, with or without the positionals', () => {
    expect(parseServerArgs(['--help'])).toEqual({ ok: 'help' });
    expect(parseServerArgs(['80', '-h'])).toEqual({ ok: 'help' });
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

  it('takes any text after --send, even one that looks like a flag', () => {
    expect(parseClientArgs(['127.0.0.1', '1', '--send', '--help'])).toMatchObject({
      ok: true,
      options: { send: '--help' },
    });
  });

  it.each([
    [[], 'missing ip'],
    [['127.0.0.1'], 'missing port'],
    [['127.0.0.1', '0'], "port must be an integer from 1 to 65535 to connect to it, not '0'"],
    [
      ['127.0.0.1', '80', '--shutdown', 'sideways'],
      "--shutdown must be one of read, write, both, not 'sideways'",
    ],
    [['127.0.0.1', '80', '--count', '0'], "--count must be an integer from 1 to 10000, not '0'"],
    [
      ['127.0.0.1', '80', '--close-after', '-1'],
      "--close-after must be a number from 0 to 86400, not '-1'",
    ],
  ])('refuses %j: %s', (argv, error) => {
    expect(parseClientArgs(argv)).toEqual({ ok: false, error });
  });

  it('refuses --send without a value, naming it', () => {
    const parsed = parseClientArgs(['127.0.0.1', '80', '--send']);
    expect(parsed.ok === false && parsed.error).toContain(
      "Option '--send <value>' argument missing",
    );
  });
});
