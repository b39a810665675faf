import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MatrixColumn } from '@sockspec/report';
import { cliConfig } from '../cli-config';
import { argsOf, wholeNumber, type Command } from '../command';

/** The targets `sockspec matrix` runs on when none are named: the container and four Debian kernels. */
export const MATRIX_TARGETS = ['container', 'vm:5.10', 'vm:6.1', 'vm:6.12', 'vm:7.2'];

/**
 * How many targets run at once by default. Under TCG a VM suite is CPU-bound: on 2 cores two kernels side by side
 * took no less in all than one after the other, and starved each other's harness steps (2026-12-02).
 */
const DEFAULT_JOBS = 1;

/** `sockspec matrix`: the scenarios on each target, a few at once, then a kernels x claims table. */
export const matrixCommand: Command = {
  name: 'matrix',
  summary: `run them on each target (default: ${MATRIX_TARGETS.join(', ')}) and write report/matrix.html`,
  usage: `Usage: sockspec matrix [--jobs N] [target...]

Runs every scenario on each target (default: ${MATRIX_TARGETS.join(', ')}), N targets at once, each run's
report in report/matrix/<target>/, then writes report/matrix.html and matrix.md: a kernels x claims table with
each claim's verdict and measured values per kernel, the rows where the kernels' verdicts differ marked. Each
target runs once, so a measured value that varies (a race, a hash split) cannot be told from its own spread: it is
listed as spread, never as a difference. Prints each target's wall time as it finishes, and the whole matrix's.

  target...   container, or vm:<series> (5.10, 6.1, 6.12, 7.2)
  --jobs N    targets run at once (default ${DEFAULT_JOBS}; 1 shows each run's live progress)
  --help      show this text
`,
  async run(args) {
    const { values, positionals } = argsOf(args, { jobs: { type: 'string' } }, true);
    const jobs = wholeNumber(values.jobs, 'jobs', { min: 1, max: 8, fallback: DEFAULT_JOBS });
    const targets = positionals.length > 0 ? positionals : MATRIX_TARGETS;
    const [{ reportDir }, { buildMatrix, renderMatrixHtml, renderMatrixMarkdown }, { runSuite }] =
      await Promise.all([
        import('@sockspec/records'),
        import('@sockspec/report'),
        import('../run-suite.js'),
      ]);
    const started = Date.now();
    const outcomes = new Map<string, Awaited<ReturnType<typeof runSuite>>>();
    let interrupted = false;
    let next = 0;
    // A few workers take the targets in order; with one, its run shows live progress as `sockspec run` does.
    const worker = async (): Promise<void> => {
      while (!interrupted && next < targets.length) {
        const target = targets[next++] as string;
        process.stdout.write(`\nsockspec matrix: ${target} started\n`);
        const outcome = await runSuite({
          target,
          reportDir: join(reportDir(), 'matrix', target.replace(/[^a-z0-9.]+/gi, '-')),
          output: jobs === 1 ? 'progress' : 'quiet',
        });
        outcomes.set(target, outcome);
        interrupted ||= outcome.interrupted;
        const tests = outcome.records.specs.flatMap((spec) => spec.tests);
        const count = (status: string): number => tests.filter((t) => t.status === status).length;
        process.stdout.write(
          `sockspec matrix: ${target} done in ${(outcome.wallMs / 60_000).toFixed(1)} min ` +
            `(${count('passed')} passed, ${count('failed')} failed, ${count('skipped') + count('pending')} skipped)\n`,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, targets.length) }, worker));
    const columns: MatrixColumn[] = [];
    let worst = 0;
    for (const target of targets) {
      const outcome = outcomes.get(target);
      if (outcome === undefined) continue;
      worst = Math.max(worst, outcome.code);
      if (outcome.results !== undefined) columns.push({ target, results: outcome.results });
    }
    const rows = buildMatrix(columns);
    writeFileSync(join(reportDir(), 'matrix.html'), renderMatrixHtml(columns, rows));
    writeFileSync(join(reportDir(), 'matrix.md'), renderMatrixMarkdown(columns, rows));
    const differing = rows.filter((row) => row.differs).map((row) => row.id);
    const varying = rows.filter((row) => row.spread.length > 0).map((row) => row.id);
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    process.stdout.write(
      `\nsockspec matrix: ${relative(cliConfig().commandCwd, join(reportDir(), 'matrix.html'))} ` +
        `(${columns.length} targets in ${minutes} min; kernels' verdicts differ on ` +
        `${differing.length > 0 ? differing.join(', ') : 'no claim'}` +
        `${varying.length > 0 ? `; values vary, not compared, on ${varying.join(', ')}` : ''})\n`,
    );
    return worst;
  },
};
