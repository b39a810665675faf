// What the Jest transform costs, for npm run bench: one package's unit tests run with ts-jest in transpile-only mode
// (the project's transform) and with @swc/jest (kept only for this comparison), side by side in the same run, each
// with a cold cache (--no-cache), alternating so that neither profits from the other's warm file cache.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages');
const JEST = createRequire(import.meta.url).resolve('jest/bin/jest');
/** The package's own jest.config.js gives ts-jest; this replaces its transform with swc's. */
const SWC = ['--transform', JSON.stringify({ '^.+\\.ts$': '@swc/jest' })];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/**
 * CPU time of this process's finished children so far, in ms: /proc/self/stat's cutime and cstime (USER_HZ ticks),
 * which take in Jest's workers once Jest has waited for them.
 */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state): cutime is field 16, cstime field 17.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** One cold run of a package's unit tests: its wall and CPU time, and whether every test passed. */
function timeUnitTests(pkg, extraArgs) {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const jest = spawnSync(process.execPath, [JEST, '--no-cache', '--silent', ...extraArgs], {
    cwd: join(PACKAGES, pkg),
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  const cpuMs = childrenCpuMs() - cpuBefore;
  if (jest.status !== 0)
    process.stderr.write(`bench: ${pkg}'s unit tests FAILED:\n${jest.stderr}\n`);
  return { wallMs, cpuMs, passed: jest.status === 0 };
}

/** Rows for the bench's table: the median of `reps` cold runs with each transform, and their ratios. */
export function benchTransforms({ pkg = 'report', reps = 3 } = {}) {
  const runs = { tsJest: [], swc: [] };
  for (let i = 0; i < reps; i += 1) {
    runs.tsJest.push(timeUnitTests(pkg, []));
    runs.swc.push(timeUnitTests(pkg, SWC));
  }
  const figures = (list) => ({
    wallMs: median(list.map((run) => run.wallMs)),
    cpuMs: median(list.map((run) => run.cpuMs)),
    note: list.every((run) => run.passed) ? 'all tests passed' : 'some test FAILED (listed above)',
  });
  const tsJest = figures(runs.tsJest);
  const swc = figures(runs.swc);
  const what = `packages/${pkg} unit tests, cold cache (median of ${reps})`;
  return [
    [`${what}, ts-jest: wall`, seconds(tsJest.wallMs), tsJest.note],
    ['  ts-jest: CPU', seconds(tsJest.cpuMs), 'Jest and its workers'],
    [`${what}, @swc/jest: wall`, seconds(swc.wallMs), swc.note],
    ['  @swc/jest: CPU', seconds(swc.cpuMs), ''],
    ['unit tests wall, ts-jest / @swc/jest', (tsJest.wallMs / swc.wallMs).toFixed(2), ''],
    ['unit tests CPU, ts-jest / @swc/jest', (tsJest.cpuMs / swc.cpuMs).toFixed(2), ''],
  ];
}
