import { join } from 'node:path';
import { STACK_FRAME, compiledSourcesForTests, type CliRun } from '@sockspec/test-support';

/**
 * `sockspec check` on command lines it refuses before starting anything: exit code 2, a first line naming what is
 * wrong, the usage, no stack trace. The checks that start a target (exit 0 and 1) are scenarios/kit/check-command.
 */
const sources = compiledSourcesForTests(join(__dirname, '..'));

function check(args: readonly string[]): Promise<CliRun> {
  return sources().run('main', ['check', ...args]);
}

describe('sockspec check usage', () => {
  it('prints its usage on --help, and exits 0', async () => {
    const run = await check(['--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Usage: sockspec check --port P');
    expect(run.stdout).toContain('1 connections left in CLOSE_WAIT');
  });

  it.each([
    [['--', 'node', 'server.js'], '--port is required'],
    [['--port', '0', '--', 'node'], "'0'"],
    [['--port', '65536', '--', 'node'], "'65536'"],
    [['--port', 'http', '--', 'node'], "'http'"],
    [['--port', '8080', '--clients', '0', '--', 'node'], '--clients'],
    [['--port', '8080', '--hold', '-1', '--', 'node'], '--hold'],
    [['--port', '8080'], "missing the server's command"],
    [['--port', '8080', '--bogus', '--', 'node'], "'--bogus'"],
  ])('refuses %j with exit code 2, naming %s', async (args, named) => {
    const run = await check(args);
    expect(run).toMatchObject({ code: 2, timedOut: false, stdout: '' });
    const [message = ''] = run.stderr.split('\n');
    expect(message).toMatch(/^sockspec check: /);
    expect(message).toContain(named);
    expect(run.stderr).toContain('Usage: sockspec check');
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
