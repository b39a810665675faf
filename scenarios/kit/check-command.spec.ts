/**
 * `sockspec check` against a server of one's own.                              Claims: none (tooling)
 *
 * The command is run as a user runs it, in examples/own-server: it copies that folder into a target, starts the
 * example's server there, drives clients that close first and reads the kernel's table. Against the server as it
 * is, nothing stays in CLOSE_WAIT and it exits 0; against `--leak`, which never closes, it exits 1 and names how
 * many connections were left in CLOSE_WAIT. Its targets carry this run's labels (the environment goes on), so the
 * run's teardown would find one it left.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'own-server');
/** The sockspec command as npm links it. */
const SOCKSPEC_MAIN = join(
  dirname(require.resolve('@sockspec/cli/package.json')),
  'bin',
  'sockspec.js',
);
const CLIENTS = 5;

interface CheckRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function sockspecCheck(serverFlags: readonly string[]): Promise<CheckRun> {
  const args = [
    'check',
    '--port',
    '8080',
    '--checks',
    'close-wait',
    '--clients',
    String(CLIENTS),
    '--hold',
    '1',
    '--json',
  ];
  const command = ['--', 'node', 'server.js', '--port', '8080', ...serverFlags];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SOCKSPEC_MAIN, ...args, ...command], { cwd: EXAMPLE });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sockspec check on examples/own-server', () => {
  it('exits 0 when the server closes every connection its clients closed', async () => {
    const run = await sockspecCheck([]);
    // The whole run shown when it fails: its stderr says why.
    expect(run).toMatchObject({ code: 0 });
    const report = JSON.parse(run.stdout) as { closeWait: { timeWait: { client: number } } };
    expect(report).toMatchObject({
      checks: ['close-wait'],
      closeWait: {
        connected: CLIENTS,
        closeWait: 0,
        leaked: false,
        timeWait: { server: 0, holder: 'client' },
      },
      faults: [],
      exitCode: 0,
    });
    // The clients close first, so TIME_WAIT is theirs. A client whose close() finds the server's answer still
    // unread resets instead (X2) and leaves none: likelier on a slow target, where the answer comes late.
    const { client } = report.closeWait.timeWait;
    expect(client).toBeGreaterThan(0);
    expect(client).toBeLessThanOrEqual(CLIENTS);
  });

  it('exits 1 naming the CLOSE_WAIT count when the server never closes (--leak)', async () => {
    const run = await sockspecCheck(['--leak']);
    expect(run).toMatchObject({ code: 1 });
    expect(JSON.parse(run.stdout)).toMatchObject({
      closeWait: { closeWait: CLIENTS, leaked: true },
      faults: ['close-wait'],
      exitCode: 1,
    });
  });
});
