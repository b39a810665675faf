import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A value a scenario measured on a kernel, with the claims it bears on. */
export interface Measurement {
  readonly claims: readonly string[];
  /** What was measured, as a short phrase: `TIME_WAIT length`. */
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit?: string;
  /** The spec file and test that measured it (filled in from Jest when left out). */
  readonly scenario?: string;
  /** The target it was measured on, with its kernel. */
  readonly target?: string;
  readonly kernel?: string;
}

/** Whether a folder is the monorepo's root: its package.json declares the workspaces. */
function isWorkspaceRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  return (
    existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)
  );
}

/** The repository root: the nearest folder upwards whose package.json declares workspaces. */
function repoRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!isWorkspaceRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
  return dir;
}

/** Where measurements go: SOCKSPEC_REPORT_DIR, or report/ at the repository root. */
export function reportDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SOCKSPEC_REPORT_DIR ?? join(repoRoot(), 'report');
}

/**
 * Appends one measurement to report/measurements.jsonl, for the report to pick up. Specs call it with what the
 * kernel produced; nothing here is a verdict.
 */
export function recordMeasurement(measurement: Measurement): void {
  const dir = reportDir();
  mkdirSync(dir, { recursive: true });
  const state = (
    globalThis as { expect?: { getState?: () => { testPath?: string; currentTestName?: string } } }
  ).expect?.getState?.();
  const scenario =
    measurement.scenario ??
    (state?.testPath === undefined
      ? undefined
      : `${state.testPath.split('/scenarios/').pop()} > ${state.currentTestName ?? ''}`);
  const line = { ...measurement, scenario, time: new Date().toISOString() };
  appendFileSync(join(dir, 'measurements.jsonl'), `${JSON.stringify(line)}\n`);
}
