import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SoakRun } from '@sockspec/report';
import { argsOf, wholeNumber, type Command } from '../command';
import { CpuLoad } from '../cpu-load';

/** What `sockspec soak` was asked for. */
export interface SoakOptions {
  readonly runs: number;
  /** CPU-bound processes kept running beside each run. */
  readonly load: number;
  readonly filters: readonly string[];
}

/** `--runs N --load N [scenario...]` read; a mistake is a UsageError. */
export function parseSoakArgs(args: readonly string[]): SoakOptions {
  const { values, positionals } = argsOf(
    args,
    { runs: { type: 'string' }, load: { type: 'string' } },
    true,
  );
  return {
    runs: wholeNumber(values.runs, 'runs', { min: 1, max: 1000, fallback: 3 }),
    load: wholeNumber(values.load, 'load', { min: 0, max: 64, fallback: 0 }),
    filters: positionals,
  };
}

/** `sockspec soak`: the suite N times, then pass/fail per spec and the spread of every measured value. */
export const soakCommand: Command = {
  name: 'soak',
  summary: 'run the whole suite N times: pass/fail per spec and the spread of each measured value',
  usage: `Usage: sockspec soak [--runs N] [--load N] [scenario...]

Runs the scenario suite N times, one run after another, against the configured target (SOCKSPEC_TARGET), and
reports pass/fail per spec and the spread (min, median, max) of every measured value: the scenarios' own settings
are left out, they are the same every run. Writes report/soak.md and exits non-zero if any run had a failure.

  --runs N   how many runs (default 3)
  --load N   keep N CPU-bound processes spinning beside every run (default 0), the way a busy CI machine
             loads it: a tolerance that only holds on an idle machine shows here
  --help     show this text
`,
  async run(args) {
    const options = parseSoakArgs(args);
    const [{ reportDir }, { renderSoakMarkdown, summarizeSoak }, { runSuite }] = await Promise.all([
      import('@sockspec/records'),
      import('@sockspec/report'),
      import('../run-suite.js'),
    ]);
    const base = join(reportDir(), 'soak');
    const runs: SoakRun[] = [];
    const load = new CpuLoad(options.load);
    let interrupted = false;
    for (let i = 1; i <= options.runs && !interrupted; i += 1) {
      const loaded = options.load > 0 ? `, ${options.load} CPU-bound process(es) beside it` : '';
      process.stdout.write(`sockspec soak: run ${i} of ${options.runs}${loaded} ...\n`);
      load.start();
      const outcome = await runSuite({
        reportDir: join(base, `run-${i}`),
        filters: options.filters,
        output: 'quiet',
      }).finally(() => load.stop());
      interrupted = outcome.interrupted;
      runs.push({
        specs: outcome.records.specs,
        measurements: outcome.records.measurements,
        wallMs: outcome.wallMs,
      });
      const tests = outcome.records.specs.flatMap((spec) => spec.tests);
      const failed = tests.filter((test) => test.status === 'failed').length;
      process.stdout.write(
        `sockspec soak: run ${i}: ${tests.length - failed} passed, ${failed} failed in ${(outcome.wallMs / 1000).toFixed(0)} s\n`,
      );
    }
    const summary = summarizeSoak(runs, options.load);
    const markdown = renderSoakMarkdown(summary);
    writeFileSync(join(reportDir(), 'soak.md'), markdown);
    process.stdout.write(`\n${markdown}\nsockspec soak: ${join(reportDir(), 'soak.md')}\n`);
    if (interrupted) return 130;
    return summary.failedRuns > 0 ? 1 : 0;
  },
};
