import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Whether a folder is the monorepo's root: its package.json declares the workspaces. */
function isWorkspaceRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  return (
    existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)
  );
}

/** The repository root: the nearest folder upwards whose package.json declares workspaces. */
export function repoRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!isWorkspaceRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
  return dir;
}

/** Where a run's records go: SOCKSPEC_REPORT_DIR, or report/ at the repository root. */
export function reportDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SOCKSPEC_REPORT_DIR ?? join(repoRoot(), 'report');
}

interface JestState {
  readonly testPath?: string;
  readonly currentTestName?: string;
}

/** The spec file (relative to scenarios/) and test now running, when inside Jest. */
export function currentScenario(): { file?: string; test?: string } {
  const state = (globalThis as { expect?: { getState?: () => JestState } }).expect?.getState?.();
  return {
    file: state?.testPath?.split('/scenarios/').pop(),
    test: state?.currentTestName,
  };
}
