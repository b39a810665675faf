import { spawn } from 'node:child_process';
import { STACK_FRAME, compiledSourcesForTests, type CliRun } from '@sockspec/test-support';

/**
 * sockspec-inspect run as a command: bad command lines are refused with exit code 2 and a first line on stderr
 * that names what is wrong; a --pid process that is not there, or ends while watched, fails with exit code 1 and
 * a hint. Never a stack trace.
 */
const USAGE_ERROR = 2;
const FAILED = 1;
/** Above the kernel's pid_max (2^22 on 64-bit): no process has it, and the option still takes it. */
const NO_SUCH_PID = String(2 ** 22);
const sources = compiledSourcesForTests(__dirname);

function inspect(args: readonly string[]): Promise<CliRun> {
  return sources().run('inspect-main', args);
}

/** The first line of stderr, after `sockspec-inspect: `: the message. */
function message(run: CliRun): string {
  const [first = ''] = run.stderr.split('\n');
  expect(first.startsWith('sockspec-inspect: ')).toBe(true);
  return first.slice('sockspec-inspect: '.length);
}

describe('sockspec-inspect on the command line', () => {
  it('prints its usage and exits 0 on --help', async () => {
    const run = await inspect(['--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Usage: sockspec-inspect');
  });

  it.each([
    [['--port', '0'], "'0'"],
    [['--port', '65536'], "'65536'"],
    [['--port', '-1'], "'-1'"],
    [['--port', 'abc'], "'abc'"],
    [['--port'], '--port'],
    [['--port=0'], "'0'"],
    [['--local-port', '70000'], "'70000'"],
    [['--state', 'SLEEPY'], "'SLEEPY'"],
    [['--state', ''], "''"],
    [['--state', 'LISTEN,nope'], "'nope'"],
    [['--state'], '--state'],
    [['--watch', '0'], "'0'"],
    [['--watch', 'abc'], "'abc'"],
    [['--watch', '1.5'], "'1.5'"],
    [['--watch', '3600001'], "'3600001'"],
    [['--watch'], '--watch'],
    [['--pid', '0'], "'0'"],
    [['--bogus'], "'--bogus'"],
    [['extra'], "'extra'"],
  ])('refuses %j with exit code 2, naming %s', async (args, named) => {
    const run = await inspect(args);
    expect(run).toMatchObject({ code: USAGE_ERROR, timedOut: false, stdout: '' });
    expect(message(run)).toContain(named);
    expect(run.stderr).toContain('Usage: sockspec-inspect');
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it.each([[['--pid', NO_SUCH_PID]], [['--pid', NO_SUCH_PID, '--watch', '10']]])(
    'fails %j, a process that is not there, with exit code 1 and a hint',
    async (args) => {
      const run = await inspect(args);
      expect(run).toMatchObject({ code: FAILED, timedOut: false, stdout: '' });
      expect(message(run)).toContain(NO_SUCH_PID);
      expect(run.stderr).toMatch(/^Hint: /m);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    },
  );

  it('stops watching with exit code 1 and a hint when the --pid process ends', async () => {
    const watched = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = String(watched.pid);
    const running = inspect(['--pid', pid, '--watch', '10']);
    setTimeout(() => watched.kill('SIGKILL'), 1_000);
    const run = await running;
    expect(run).toMatchObject({ code: FAILED, timedOut: false });
    expect(message(run)).toContain(pid);
    expect(run.stderr).toMatch(/^Hint: /m);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
