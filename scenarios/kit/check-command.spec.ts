/**
 * `sockspec check` against a server of one's own.                              Claims: none (tooling)
 *
 * The command is run as a user runs it, in examples/own-server: it copies that folder into a target, starts the
 * example's server there, drives clients that close first and reads the kernel's table. Against the server as it
 * is, nothing stays in CLOSE_WAIT and it exits 0; against `--leak`, which never closes, it exits 1 and names how
 * many connections were left in CLOSE_WAIT, over IPv4 and, with `--host ::1`, over IPv6. In a copy of
 * examples/with-dependency, whose server requires an npm package, the check exits 0 once node_modules holds it (it
 * goes along into the target) and 3 naming the missing module before; a folder over the 200 MiB cap is refused with
 * a hint to --image. Its targets carry this run's labels (the environment goes on), so the run's teardown would find
 * one it left.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOCKSPEC_MAIN } from './child-run';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const EXAMPLE = join(EXAMPLES, 'own-server');
const CLIENTS = 5;

interface CheckRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function sockspecCheck(
  serverFlags: readonly string[],
  options: { readonly folder?: string; readonly checkFlags?: readonly string[] } = {},
): Promise<CheckRun> {
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
    ...(options.checkFlags ?? []),
  ];
  const command = ['--', 'node', 'server.js', '--port', '8080', ...serverFlags];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SOCKSPEC_MAIN, ...args, ...command], {
      cwd: options.folder ?? EXAMPLE,
    });
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

describe('sockspec check over IPv6 (--host ::1)', () => {
  it("connects to ::1 and counts the server's IPv6 CLOSE_WAIT entries (--leak)", async () => {
    const run = await sockspecCheck(['--leak'], { checkFlags: ['--host', '::1'] });
    expect(run).toMatchObject({ code: 1 });
    // Node listens on :: once the target has IPv6: every connection is ::1 to ::1, read from /proc/net/tcp6.
    expect(JSON.parse(run.stdout)).toMatchObject({
      host: '::1',
      closeWait: {
        connected: CLIENTS,
        closeWait: CLIENTS,
        leaked: true,
        states: { server: { LISTEN: 1, CLOSE_WAIT: CLIENTS }, client: { FIN_WAIT2: CLIENTS } },
      },
      faults: ['close-wait'],
      exitCode: 1,
    });
  });
});

describe('sockspec check on a Node server with an npm dependency (examples/with-dependency)', () => {
  let folder = '';
  beforeEach(() => {
    // A copy, so that the test's node_modules never lands in the project.
    folder = mkdtempSync(join(tmpdir(), 'sockspec-with-dependency-'));
    cpSync(join(EXAMPLES, 'with-dependency'), folder, { recursive: true });
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** What `npm install` makes of the file: dependency with --install-links: the package copied into node_modules. */
  function installDependency(): void {
    cpSync(join(folder, 'line-reply'), join(folder, 'node_modules', 'line-reply'), {
      recursive: true,
    });
    rmSync(join(folder, 'line-reply'), { recursive: true });
  }

  it('copies node_modules along: the server starts and closes what its clients closed (exit 0)', async () => {
    installDependency();
    const run = await sockspecCheck([], { folder });
    expect(run).toMatchObject({ code: 0 });
    expect(JSON.parse(run.stdout)).toMatchObject({
      closeWait: { connected: CLIENTS, closeWait: 0, leaked: false },
      exitCode: 0,
    });
  });

  it('exits 3 naming the missing module when node_modules does not hold it', async () => {
    rmSync(join(folder, 'line-reply'), { recursive: true });
    const run = await sockspecCheck([], { folder });
    expect(run).toMatchObject({ code: 3 });
    expect(run.stderr).toContain("Error: Cannot find module 'line-reply'");
    expect(run.stderr).toContain(
      "Hint: install the server's dependencies here first (npm install)",
    );
  });

  it('refuses a folder over the 200 MiB cap before copying it, with a hint to --image', async () => {
    installDependency();
    // A sparse file: its size counts, it takes no disk.
    mkdirSync(join(folder, 'node_modules', 'large'));
    const large = join(folder, 'node_modules', 'large', 'blob.bin');
    writeFileSync(large, '');
    truncateSync(large, 201 * 1024 * 1024);
    const run = await sockspecCheck([], { folder });
    expect(run).toMatchObject({ code: 3 });
    expect(run.stderr).toMatch(/holds 201 MiB of files, over the 200 MiB a target takes/);
    expect(run.stderr).toContain('check it with --image');
  });
});
