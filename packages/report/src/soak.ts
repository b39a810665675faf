import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, reportDir, sweepContainers, sweepVms } from '@sockspec/testkit';
import { runEnvironment } from './run-environment';
import { CpuLoad } from './cpu-load';
import { buildTargetImage } from './target-image';
import { renderSoakMarkdown, summarizeSoak, type SoakRun } from './soak-summary';

export const SOAK_USAGE = `Usage: sockspec soak [--runs N] [--load N] [scenario...]

Runs the scenario suite N times (default 3) one run after another, against the configured target
(SOCKSPEC_TARGET), and reports pass/fail per spec and the spread (min, median, max) of every measured value.
Writes report/soak.md and exits non-zero if any run had a failure. Each run takes about as long as the suite.

  --runs N   how many runs (default 3)
  --load N   keep N CPU-bound processes spinning beside every run (default 0), the way CI's parallel
             unit tests and builds load the machine; a tolerance that only holds on an idle machine shows here
`;

export interface SoakOptions {
  readonly runs: number;
  /** CPU-bound processes kept running beside each run. */
  readonly load: number;
  readonly filters: readonly string[];
}

/** Parses `--runs N --load N [scenario...]`; a string is the usage error. */
export function parseSoakArgs(args: readonly string[]): SoakOptions | string {
  let runs = 3;
  let load = 0;
  const filters: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--runs') {
      const value = args[(i += 1)];
      if (value === undefined || !/^[1-9]\d*$/.test(value))
        return `--runs needs a whole number of runs, 1 or more (got ${value ?? 'nothing'})`;
      runs = Number(value);
    } else if (arg === '--load') {
      const value = args[(i += 1)];
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 64)
        return `--load needs a number of processes from 0 to 64 (got ${value ?? 'nothing'})`;
      load = Number(value);
    } else if (arg.startsWith('-')) return `unknown option '${arg}'`;
    else filters.push(arg);
  }
  return { runs, load, filters };
}

/** One Jest run of the scenarios with --json; what it measured comes from its own records folder. */
async function runOnce(
  dir: string,
  filters: readonly string[],
  stop: { child?: ReturnType<typeof spawn> },
): Promise<SoakRun> {
  mkdirSync(dir, { recursive: true });
  const runId = randomUUID();
  const output = join(dir, 'jest.json');
  const started = Date.now();
  const child = spawn('npx', ['jest', '--silent', '--json', `--outputFile=${output}`, ...filters], {
    cwd: join(repoRoot(), 'scenarios'),
    env: runEnvironment({ runId, reportDir: dir }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  stop.child = child;
  await new Promise((resolve) => child.on('close', resolve));
  const wallMs = Date.now() - started;
  sweepVms({ runId });
  await sweepContainers({ runId });
  if (!existsSync(output)) throw new Error(`the suite wrote no results (${output})`);
  const measurementsFile = join(dir, 'measurements.jsonl');
  const measurements = existsSync(measurementsFile)
    ? readFileSync(measurementsFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as SoakRun['measurements'][number] & { type: string })
        .filter((line) => line.type === 'measurement')
    : [];
  return {
    jest: JSON.parse(readFileSync(output, 'utf8')) as SoakRun['jest'],
    measurements,
    wallMs,
  };
}

/** `sockspec soak`: the suite N times, then pass/fail per spec and the spread of every measured value. */
export async function soak(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(SOAK_USAGE);
    return 0;
  }
  const options = parseSoakArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(`sockspec soak: ${options}\n\n${SOAK_USAGE}`);
    return 2;
  }
  const image = buildTargetImage();
  if (image !== 0) return image;
  const base = join(reportDir(), 'soak');
  rmSync(base, { recursive: true, force: true });
  const runs: SoakRun[] = [];
  const stop: { child?: ReturnType<typeof spawn>; interrupted?: boolean } = {};
  const interrupt = (): void => {
    stop.interrupted = true;
    stop.child?.kill('SIGINT');
  };
  process.on('SIGINT', interrupt);
  const load = new CpuLoad(options.load);
  for (let i = 1; i <= options.runs && stop.interrupted !== true; i += 1) {
    const loaded = options.load > 0 ? `, ${options.load} CPU-bound process(es) beside it` : '';
    process.stdout.write(`sockspec soak: run ${i} of ${options.runs}${loaded} ...\n`);
    load.start();
    const run = await runOnce(join(base, `run-${i}`), options.filters, stop).finally(() =>
      load.stop(),
    );
    runs.push(run);
    const tests = run.jest.testResults.flatMap((file) => file.assertionResults);
    const failed = tests.filter((test) => test.status === 'failed').length;
    process.stdout.write(
      `sockspec soak: run ${i}: ${tests.length - failed} passed, ${failed} failed in ${(run.wallMs / 1000).toFixed(0)} s\n`,
    );
  }
  process.off('SIGINT', interrupt);
  const summary = summarizeSoak(runs, options.load);
  const markdown = renderSoakMarkdown(summary);
  writeFileSync(join(reportDir(), 'soak.md'), markdown);
  process.stdout.write(`\n${markdown}\nsockspec soak: ${join(reportDir(), 'soak.md')}\n`);
  if (stop.interrupted === true) return 130;
  return summary.failedRuns > 0 ? 1 : 0;
}
