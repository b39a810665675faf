import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-files';

/** The part of dependency-cruiser's JSON output this check reads. */
export interface CruiseResult {
  readonly summary: {
    readonly violations: readonly {
      readonly type: string;
      readonly from: string;
      readonly rule: { readonly name: string };
      readonly cycle?: readonly { readonly name: string }[];
    }[];
  };
}

/** The repository's dependency-cruiser rules: no-circular, type-only imports included. */
export const CRUISER_CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');

/** The circles of a cruise's no-circular violations, each as `a.ts → b.ts → a.ts`. */
export function circlesIn(result: CruiseResult): string[] {
  return result.summary.violations
    .filter((violation) => violation.rule.name === 'no-circular')
    .map((violation) =>
      [violation.from, ...(violation.cycle ?? []).map((step) => step.name)].join(' → '),
    );
}

/**
 * Runs dependency-cruiser (its CLI: the package is ESM only, Jest loads CommonJS) on `paths` from `cwd`, with the
 * repository's rules, and answers its JSON.
 */
export function cruise(paths: readonly string[], cwd: string = REPO_ROOT): CruiseResult {
  const bin = join(REPO_ROOT, 'node_modules', '.bin', 'depcruise');
  const run = spawnSync(bin, ['--config', CRUISER_CONFIG, '--output-type', 'json', ...paths], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  try {
    return JSON.parse(run.stdout) as CruiseResult;
  } catch {
    throw new Error(
      `depcruise ${paths.join(' ')} answered no JSON (exit ${run.status}): ${run.stderr || run.error?.message}`,
    );
  }
}
