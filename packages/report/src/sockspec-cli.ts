import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, reportDir, sweepContainers, sweepVms } from '@sockspec/testkit';
import { argumentError } from './command-arguments';
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown, type MatrixColumn } from './matrix';
import type { Results } from './results';
import { runEnvironment } from './run-environment';
import { listScenarios } from './scenario-list';
import { soak } from './soak';
import { buildTargetImage } from './target-image';
import { writeReport } from './write-report';

export const USAGE = `Usage: sockspec <command> [options]

Commands:
  run [--config FILE] [scenario...]
                      run scenarios against the kernel (all, or those whose path contains a word given),
                      with live progress, then write report/index.html, results.json and README.md
  list                list the scenarios with the claims each checks
  matrix [target...]  run them on each target in turn (default: container, vm:5.10, vm:6.1, vm:6.12,
                      vm:7.2) and write report/matrix.html, a kernels x claims table
  soak [--runs N]     run the whole suite N times; pass/fail per spec and the spread of each measured value
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

interface RunOptions {
  /** SOCKSPEC_TARGET for this run (default: the environment's, or container). */
  readonly target?: string;
  /** Where this run's report goes (default: report/). */
  readonly reportDir?: string;
  /** Another Jest config for the scenarios (`sockspec run --config FILE`), as the kit's own cleanup checks use. */
  readonly jestConfig?: string;
}

/** `run`'s words: `--config FILE` (or `--config=FILE`) and the path words that choose scenarios. */
export function runWords(args: readonly string[]): { filters: string[]; jestConfig?: string } {
  const filters: string[] = [];
  let jestConfig: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--config') jestConfig = args[(i += 1)];
    else if (arg.startsWith('--config=')) jestConfig = arg.slice('--config='.length);
    else filters.push(arg);
  }
  return jestConfig === undefined ? { filters } : { filters, jestConfig };
}

async function run(filters: readonly string[], options: RunOptions = {}): Promise<number> {
  const root = repoRoot();
  const scenarios = join(root, 'scenarios');
  const image = buildTargetImage();
  if (image !== 0) return image;
  const runId = randomUUID();
  const dir = options.reportDir ?? reportDir();
  mkdirSync(dir, { recursive: true });
  const progressFile = join(dir, `progress-${runId}.jsonl`);
  const env = runEnvironment({ runId, reportDir: dir, target: options.target, progressFile });
  const total = listScenarios(scenarios).filter(
    (s) => filters.length === 0 || filters.some((f) => s.file.includes(f)),
  );
  process.stdout.write(
    options.jestConfig === undefined
      ? `sockspec: running ${total.length} scenario file(s) side by side against the kernel\n`
      : `sockspec: running the specs of ${options.jestConfig} against the kernel\n`,
  );
  const stopWatching = watchProgress(progressFile);
  const jest = spawn(
    'npx',
    [
      'jest',
      ...(options.jestConfig === undefined ? [] : ['--config', options.jestConfig]),
      ...filters,
      '--reporters=@sockspec/report/dist/jest-reporter.js',
    ],
    {
      cwd: scenarios,
      env,
      stdio: 'inherit',
      // Its own process group (npx, its shell, Jest and Jest's workers), so that one signal reaches all of them:
      // npx's shell would wait for Jest before passing a signal on. Should this command die without a word, the
      // run notices that its owner is gone and cleans up itself (see the testkit's globalSetup).
      detached: true,
    },
  );
  let interrupted = false;
  const interrupt = (): void => {
    interrupted = true;
    process.stdout.write('\nsockspec: stopping; removing the containers of this run\n');
    try {
      if (jest.pid !== undefined) process.kill(-jest.pid, 'SIGINT');
    } catch {
      // the run has ended already
    }
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const code = await new Promise<number>((resolve) =>
    jest.on('close', (status) => resolve(status ?? 1)),
  );
  stopWatching();
  rmSync(progressFile, { force: true });
  sweepVms({ runId });
  const swept = await sweepContainers({ runId });
  if (swept.containers.length + swept.networks.length > 0) {
    process.stdout.write(
      `sockspec: removed ${swept.containers.length} container(s), ${swept.networks.length} network(s)\n`,
    );
  }
  return interrupted ? 130 : code;
}

/** The targets `sockspec matrix` runs on when none are named: the container and four Debian kernels. */
export const MATRIX_TARGETS = ['container', 'vm:5.10', 'vm:6.1', 'vm:6.12', 'vm:7.2'];

/** Runs the scenarios on each target, one after another, and writes the kernels x claims table. */
async function matrix(targets: readonly string[]): Promise<number> {
  const chosen = targets.length > 0 ? targets : MATRIX_TARGETS;
  const columns: MatrixColumn[] = [];
  let worst = 0;
  for (const target of chosen) {
    process.stdout.write(`\nsockspec matrix: ${target}\n`);
    const dir = join(reportDir(), 'matrix', target.replace(/[^a-z0-9.]+/gi, '-'));
    const code = await run([], { target, reportDir: dir });
    worst = Math.max(worst, code);
    const file = join(dir, 'results.json');
    if (existsSync(file))
      columns.push({ target, results: JSON.parse(readFileSync(file, 'utf8')) as Results });
  }
  const rows = buildMatrix(columns);
  writeFileSync(join(reportDir(), 'matrix.html'), renderMatrixHtml(columns, rows));
  writeFileSync(join(reportDir(), 'matrix.md'), renderMatrixMarkdown(columns, rows));
  const differing = rows.filter((row) => row.differs).map((row) => row.id);
  process.stdout.write(
    `\nsockspec matrix: ${join(reportDir(), 'matrix.html')} (${columns.length} targets; ` +
      `kernels differ on ${differing.length > 0 ? differing.join(', ') : 'no claim'})\n`,
  );
  return worst;
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
    spawnSync('docker', ['ps', '--latest', '--quiet', '--filter', 'label=sockspec.run'], {
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
  const refused = command === undefined ? 'missing command' : argumentError(command, rest);
  if (refused !== undefined) {
    process.stderr.write(`sockspec: ${refused}\n\n${USAGE}`);
    return 2;
  }
  switch (command) {
    case 'run': {
      const { filters, jestConfig } = runWords(rest);
      return run(filters, { jestConfig });
    }
    case 'list':
      return list();
    case 'matrix':
      return matrix(rest);
    case 'soak':
      return soak(rest);
    case 'watch':
      return watch(rest[0]);
    case 'report': {
      const results = writeReport(reportDir());
      process.stdout.write(
        `sockspec: wrote ${join(reportDir(), 'index.html')} (${results.claims.length} claims)\n`,
      );
      return 0;
    }
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`sockspec: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
