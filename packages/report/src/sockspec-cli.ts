import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, reportDir, sweepContainers } from '@sockspec/testkit';
import { listScenarios } from './scenario-list';
import { writeReport } from './write-report';

export const USAGE = `Usage: sockspec <command> [options]

Commands:
  run [scenario...]   run scenarios against the kernel (all, or those whose path contains a word given),
                      with live progress, then write report/index.html, results.json and README.md
  list                list the scenarios with the claims each checks
  watch [container]   show the live socket table of a running target (the newest, if none is named)
  report              write the report again from the records of the last run
  --help              show this text

Ctrl-C during a run stops it and removes every container it started.
`;

interface PendingWait {
  readonly scenario?: string;
  readonly what: string;
  readonly timeoutMs: number;
  readonly start: number;
}

/** Prints, every few seconds, what the running specs wait on and the time left. */
function watchProgress(file: string): () => void {
  const pending = new Map<string, PendingWait>();
  let offset = 0;
  const timer = setInterval(() => {
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    for (const line of text.slice(offset).split('\n')) {
      if (line.trim() === '') continue;
      const event = JSON.parse(line) as { id: string; end?: number } & PendingWait;
      if (event.end === undefined) pending.set(event.id, event);
      else pending.delete(event.id);
    }
    offset = text.length;
    const now = Date.now();
    for (const wait of pending.values()) {
      const waited = Math.round((now - wait.start) / 1000);
      if (waited < 3) continue;
      const left = Math.max(0, Math.round((wait.start + wait.timeoutMs - now) / 1000));
      process.stdout.write(
        `  … ${wait.scenario ?? '?'}: waiting for ${wait.what} (${waited} s so far, at most ${left} s left)\n`,
      );
    }
  }, 5_000);
  return () => clearInterval(timer);
}

async function run(filters: readonly string[]): Promise<number> {
  const root = repoRoot();
  const scenarios = join(root, 'scenarios');
  const image = spawnSync(process.execPath, [join(root, 'docker', 'build-image.mjs')], {
    stdio: 'inherit',
  });
  if (image.status !== 0) return image.status ?? 1;
  const runId = randomUUID();
  const progressFile = join(reportDir(), `progress-${runId}.jsonl`);
  const env = {
    ...process.env,
    SOCKSPEC_RUN_ID: runId,
    SOCKSPEC_OWNER_PID: String(process.pid),
    SOCKSPEC_PROGRESS: '1',
    SOCKSPEC_PROGRESS_FILE: progressFile,
    TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true',
  };
  const total = listScenarios(scenarios).filter(
    (s) => filters.length === 0 || filters.some((f) => s.file.includes(f)),
  );
  process.stdout.write(
    `sockspec: running ${total.length} scenario file(s) side by side against the kernel\n`,
  );
  const stopWatching = watchProgress(progressFile);
  const jest = spawn(
    'npx',
    ['jest', ...filters, '--reporters=@sockspec/report/dist/jest-reporter.js'],
    {
      cwd: scenarios,
      env,
      stdio: 'inherit',
    },
  );
  let interrupted = false;
  const interrupt = (): void => {
    interrupted = true;
    process.stdout.write('\nsockspec: stopping; removing the containers of this run\n');
    jest.kill('SIGINT');
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const code = await new Promise<number>((resolve) =>
    jest.on('close', (status) => resolve(status ?? 1)),
  );
  stopWatching();
  rmSync(progressFile, { force: true });
  const swept = await sweepContainers({ runId });
  if (swept.containers.length + swept.networks.length > 0) {
    process.stdout.write(
      `sockspec: removed ${swept.containers.length} container(s), ${swept.networks.length} network(s)\n`,
    );
  }
  return interrupted ? 130 : code;
}

function list(): number {
  for (const scenario of listScenarios(join(repoRoot(), 'scenarios'))) {
    const claims = scenario.claims.length > 0 ? scenario.claims.join(', ') : '-';
    process.stdout.write(`${scenario.file.padEnd(34)} ${claims.padEnd(22)} ${scenario.title}\n`);
  }
  return 0;
}

function watch(container?: string): number {
  const id =
    container ??
    spawnSync('docker', ['ps', '--latest', '--quiet', '--filter', 'label=sockspec=true'], {
      encoding: 'utf8',
    }).stdout.trim();
  if (id === '') {
    process.stderr.write(
      'sockspec watch: no running target. Hint: start one with `sockspec run` in another terminal\n',
    );
    return 1;
  }
  process.stdout.write(`sockspec: socket table of ${id.slice(0, 12)}, live (Ctrl-C to stop)\n`);
  const table = spawnSync('docker', ['exec', id, 'sockspec-inspect'], { stdio: 'inherit' });
  if (table.status !== 0) return table.status ?? 1;
  return (
    spawnSync('docker', ['exec', '-t', id, 'sockspec-inspect', '--watch', '100'], {
      stdio: 'inherit',
    }).status ?? 0
  );
}

/** The sockspec command. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'list':
      return list();
    case 'watch':
      return watch(rest[0]);
    case 'report': {
      const results = writeReport(reportDir());
      process.stdout.write(
        `sockspec: wrote ${join(reportDir(), 'index.html')} (${results.claims.length} claims)\n`,
      );
      return 0;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`sockspec: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
