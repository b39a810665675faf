import { STACK_FRAME, compiledSourcesForTests, type CliRun } from '@sockspec/test-support';

/**
 * sockspec-server and sockspec-client run as commands, on bad command lines: each is refused before any socket is
 * made, with exit code 2, a first line on stderr that names what is wrong, the usage after it, no stack trace.
 */
const USAGE_ERROR = 2;
const sources = compiledSourcesForTests(__dirname);

/** A bad command line, and the text its refusal must name (the value or the flag at fault). */
type Refusal = readonly [args: readonly string[], named: string];

function expectRefused(run: CliRun, program: string, named: string): void {
  expect(run).toMatchObject({ code: USAGE_ERROR, timedOut: false, stdout: '' });
  const [message = '', ...rest] = run.stderr.split('\n');
  expect(message.startsWith(`${program}: `)).toBe(true);
  expect(message.slice(program.length + 2).trim()).not.toBe('');
  expect(message).toContain(named);
  expect(rest.join('\n')).toContain(`Usage: ${program}`);
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

/** Where a command line here would have the server listen if it were wrongly accepted: loopback, any port. */
const HERE = ['0', '127.0.0.1'];
/** ... and where the client would connect: loopback, port 1, where nothing listens. */
const NOWHERE = ['127.0.0.1', '1'];

const SERVER_REFUSALS: readonly Refusal[] = [
  [[], 'port'],
  [['65536', '127.0.0.1'], "'65536'"],
  [['-1', '127.0.0.1'], "'-1'"],
  [['abc', '127.0.0.1'], "'abc'"],
  [['80.5', '127.0.0.1'], "'80.5'"],
  [['0', '999.1.1.1'], "'999.1.1.1'"],
  [['0', 'not-an-ip'], "'not-an-ip'"],
  [[...HERE, 'extra'], "'extra'"],
  [[...HERE, '--bogus'], '--bogus'],
  [[...HERE, '--backlog'], '--backlog'],
  [[...HERE, '--backlog', 'two'], "'two'"],
  [[...HERE, '--backlog', '0x10'], "'0x10'"],
  [[...HERE, '--backlog', '1e3'], "'1e3'"],
  [[...HERE, '--backlog', '-2'], "'-2'"],
  [[...HERE, '--backlog='], "''"],
  [[...HERE, '--close-after', 'Infinity'], "'Infinity'"],
  [[...HERE, '--close-after', '86401'], "'86401'"],
  [[...HERE, '--linger', '65536'], "'65536'"],
  [[...HERE, '--reuseaddr=yes'], '--reuseaddr'],
];

const CLIENT_REFUSALS: readonly Refusal[] = [
  [[], 'ip'],
  [['127.0.0.1'], 'port'],
  [['127.0.0.1', '0'], "'0'"],
  [['127.0.0.1', '65536'], "'65536'"],
  [['127.0.0.1', '-1'], "'-1'"],
  [['127.0.0.1', 'abc'], "'abc'"],
  [['999.1.1.1', '1'], "'999.1.1.1'"],
  [['not-an-ip', '1'], "'not-an-ip'"],
  [[...NOWHERE, 'extra'], "'extra'"],
  [[...NOWHERE, '--bogus'], '--bogus'],
  [[...NOWHERE, '--count'], '--count'],
  [[...NOWHERE, '--count', '0'], "'0'"],
  [[...NOWHERE, '--count', '1e3'], "'1e3'"],
  [[...NOWHERE, '--send'], '--send'],
  [[...NOWHERE, '--shutdown', 'sideways'], "'sideways'"],
  [[...NOWHERE, '--close-after', '-1'], "'-1'"],
];

describe('sockspec-server on the command line', () => {
  it('prints its usage and exits 0 on --help', async () => {
    const run = await sources().run('server-main', ['--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Usage: sockspec-server');
  });

  it.each(SERVER_REFUSALS)('refuses %j with exit code 2, naming %s', async (args, named) => {
    expectRefused(await sources().run('server-main', args), 'sockspec-server', named);
  });
});

describe('sockspec-client on the command line', () => {
  it('prints its usage and exits 0 on --help', async () => {
    const run = await sources().run('client-main', ['--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Usage: sockspec-client');
  });

  it.each(CLIENT_REFUSALS)('refuses %j with exit code 2, naming %s', async (args, named) => {
    expectRefused(await sources().run('client-main', args), 'sockspec-client', named);
  });
});
