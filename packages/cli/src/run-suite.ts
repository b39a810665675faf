import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { progressFileOf, projectRoot, readRunData, type RunData } from '@sockspec/records';
import type { Results } from '@sockspec/report';
import { sweepContainers, sweepVms } from '@sockspec/testkit/runner';
import { watchProgress } from './progress-view';

/** One run of the scenario suite: where, on what, with which specs. */
export interface SuiteRun {
  /** The kind of target (SOCKSPEC_TARGET for the run); default: the environment's, else container. */
  readonly target?: string;
  /** Where the run's records and report go. */
  readonly reportDir: string;
  /** Path words: only the spec files whose path contains one of them. */
  readonly filters?: readonly string[];
  /** Another Jest config for the scenarios (the kit's own cleanup checks use one). */
  readonly jestConfig?: string;
  /** More environment for the run and its targets (npm run bench sets how targets behave while idle). */
  readonly env?: Readonly<Record<string, string>>;
  /** Live lines per test and per long wait (sockspec run), or Jest's own output to the terminal, or nothing. */
  readonly output: 'progress' | 'jest' | 'quiet';
}

export interface SuiteOutcome {
  /** Jest's exit code, or 130 when the run was interrupted. */
  readonly code: number;
  readonly wallMs: number;
  readonly interrupted: boolean;
  /** What the run left in its report folder. */
  readonly records: RunData;
  /** The report it wrote, if Jest got as far as writing one. */
  readonly results: Results | undefined;
}

/** The scenarios folder of the project: where the suite's Jest runs. */
export function scenariosDir(): string {
  return join(projectRoot(), 'scenarios');
}

/**
 * The environment of one run: its id and owner (so that everything it makes carries its labels and a sweep finds
 * it), where it writes its records, its target, and where its progress goes. Without `runId` the run names itself
 * (Jest's globalSetup does); without `ownerPid` the process started is its own owner.
 */
export function suiteEnvironment(options: {
  readonly runId?: string;
  readonly ownerPid?: number;
  readonly reportDir: string;
  readonly target?: string;
  readonly progressFile?: string;
  readonly base?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const base = options.base ?? process.env;
  return {
    ...base,
    SOCKSPEC_REPORT_DIR: options.reportDir,
    ...(options.target === undefined ? {} : { SOCKSPEC_TARGET: options.target }),
    ...(options.runId === undefined ? {} : { SOCKSPEC_RUN_ID: options.runId }),
    ...(options.ownerPid === undefined ? {} : { SOCKSPEC_OWNER_PID: String(options.ownerPid) }),
    ...(options.progressFile === undefined
      ? {}
      : { SOCKSPEC_PROGRESS: '1', SOCKSPEC_PROGRESS_FILE: options.progressFile }),
    TESTCONTAINERS_RYUK_DISABLED: base.TESTCONTAINERS_RYUK_DISABLED ?? 'true',
    // Where the command was typed, for the paths the run prints (npx resets INIT_CWD to Jest's folder).
    SOCKSPEC_COMMAND_CWD: base.SOCKSPEC_COMMAND_CWD ?? process.cwd(),
  };
}

/** The run's records (measurements to the report) and report/junit.xml for CI: every run has both. */
export const SUITE_REPORTERS = ['@sockspec/cli/jest-reporter', '@sockspec/cli/junit-reporter'];

/** Jest's own entry point, run with this Node: no npx and no shell between the run and its signals. */
export function jestBin(): string {
  return require.resolve('jest/bin/jest');
}

/**
 * The one place that runs the scenario suite: in its own process group (so one signal reaches Jest and its
 * workers), with the run's environment, its progress shown while it runs, Ctrl-C and SIGTERM passed on, and the
 * run's containers and VMs swept once it ends, however it ends.
 */
export async function runSuite(run: SuiteRun): Promise<SuiteOutcome> {
  const runId = randomUUID();
  mkdirSync(run.reportDir, { recursive: true });
  const progressFile = run.output === 'progress' ? progressFileOf(run.reportDir, runId) : undefined;
  const env = {
    ...suiteEnvironment({
      runId,
      ownerPid: process.pid,
      reportDir: run.reportDir,
      target: run.target,
      progressFile,
    }),
    ...run.env,
  };
  // The path words come first: Jest's --reporters takes every word after it as one more reporter.
  const args = [
    jestBin(),
    ...(run.filters ?? []),
    ...(run.jestConfig === undefined ? [] : ['--config', run.jestConfig]),
    // The reporters are named here only: Jest's own output adds its default reporter to the run's two.
    ...(run.output === 'jest' ? ['--reporters=default'] : []),
    ...SUITE_REPORTERS.map((reporter) => `--reporters=${reporter}`),
    ...(run.output === 'quiet' ? ['--silent'] : []),
  ];
  const started = Date.now();
  const jest = spawn(process.execPath, args, {
    cwd: scenariosDir(),
    env,
    stdio: run.output === 'quiet' ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    // Should this command die without a word, the run notices its owner is gone and cleans up (globalSetup).
    detached: true,
  });
  const stopWatching = progressFile === undefined ? () => undefined : watchProgress(progressFile);
  let interrupted = false;
  const interrupt = (): void => {
    interrupted = true;
    if (run.output !== 'quiet') {
      process.stdout.write('\nsockspec: stopping; removing the targets of this run\n');
    }
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
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
  stopWatching();
  if (progressFile !== undefined) rmSync(progressFile, { force: true });
  sweepVms({ runId });
  const swept = await sweepContainers({ runId });
  if (swept.containers.length + swept.networks.length > 0 && run.output !== 'quiet') {
    process.stdout.write(
      `sockspec: removed ${swept.containers.length} container(s), ${swept.networks.length} network(s)\n`,
    );
  }
  const resultsFile = join(run.reportDir, 'results.json');
  return {
    code: interrupted ? 130 : code,
    wallMs: Date.now() - started,
    interrupted,
    records: readRunData(run.reportDir),
    results: existsSync(resultsFile)
      ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results)
      : undefined,
  };
}
