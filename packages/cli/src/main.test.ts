import { STACK_FRAME, compiledSourcesForTests, type CliRun } from '@sockspec/test-support';

/**
 * The sockspec command run as a command, on command lines it refuses before doing anything (none of these would
 * start a run even if it were let through): exit code 2, a first line on stderr naming what is wrong, the usage,
 * no stack trace.
 */
const USAGE_ERROR = 2;
const sources = compiledSourcesForTests(__dirname);

function sockspec(args: readonly string[]): Promise<CliRun> {
  return sources().run('main', args);
}

describe('sockspec on the command line', () => {
  it.each([[['--help']], [['-h']], [['help']]])(
    'prints its usage and exits 0 on %j',
    async (args) => {
      const run = await sockspec(args);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('Usage: sockspec');
    },
  );

  it.each([
    [[], 'command'],
    [['frobnicate'], "'frobnicate'"],
    [['--bogus'], "'--bogus'"],
    [['list', 'extra'], "'extra'"],
    [['run', '--output', 'html'], "'html'"],
  ])('refuses %j with exit code 2, naming %s', async (args, named) => {
    const run = await sockspec(args);
    expect(run).toMatchObject({ code: USAGE_ERROR, timedOut: false, stdout: '' });
    const [message = ''] = run.stderr.split('\n');
    expect(message).toMatch(/^sockspec( [a-z]+)?: /);
    expect(message).toContain(named);
    expect(run.stderr).toContain('Usage: sockspec');
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
