import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MatrixColumn } from '@sockspec/report';
import { cliConfig } from '../cli-config';
import { argsOf, type Command } from '../command';

/** The targets `sockspec matrix` runs on when none are named: the container and four Debian kernels. */
export const MATRIX_TARGETS = ['container', 'vm:5.10', 'vm:6.1', 'vm:6.12', 'vm:7.2'];

/** `sockspec matrix`: the scenarios on each target in turn, then a kernels x claims table. */
export const matrixCommand: Command = {
  name: 'matrix',
  summary: `run them on each target in turn (default: ${MATRIX_TARGETS.join(', ')}) and write report/matrix.html`,
  usage: `Usage: sockspec matrix [target...]

Runs every scenario on each target in turn (default: ${MATRIX_TARGETS.join(', ')}), each run's report in
report/matrix/<target>/, then writes report/matrix.html and matrix.md: a kernels x claims table with each claim's
verdict and measured values per kernel, the rows where the kernels disagree marked. Prints its wall time.

  target...   container, or vm:<series> (5.10, 6.1, 6.12, 7.2)
  --help      show this text
`,
  async run(args) {
    const { positionals } = argsOf(args, {}, true);
    const targets = positionals.length > 0 ? positionals : MATRIX_TARGETS;
    const [{ reportDir }, { buildMatrix, renderMatrixHtml, renderMatrixMarkdown }, { runSuite }] =
      await Promise.all([
        import('@sockspec/records'),
        import('@sockspec/report'),
        import('../run-suite.js'),
      ]);
    const started = Date.now();
    const columns: MatrixColumn[] = [];
    let worst = 0;
    for (const target of targets) {
      process.stdout.write(`\nsockspec matrix: ${target}\n`);
      const outcome = await runSuite({
        target,
        reportDir: join(reportDir(), 'matrix', target.replace(/[^a-z0-9.]+/gi, '-')),
        output: 'progress',
      });
      worst = Math.max(worst, outcome.code);
      if (outcome.results !== undefined) columns.push({ target, results: outcome.results });
      if (outcome.interrupted) break;
    }
    const rows = buildMatrix(columns);
    writeFileSync(join(reportDir(), 'matrix.html'), renderMatrixHtml(columns, rows));
    writeFileSync(join(reportDir(), 'matrix.md'), renderMatrixMarkdown(columns, rows));
    const differing = rows.filter((row) => row.differs).map((row) => row.id);
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    process.stdout.write(
      `\nsockspec matrix: ${relative(cliConfig().commandCwd, join(reportDir(), 'matrix.html'))} ` +
        `(${columns.length} targets in ${minutes} min; kernels differ on ` +
        `${differing.length > 0 ? differing.join(', ') : 'no claim'})\n`,
    );
    return worst;
  },
};
