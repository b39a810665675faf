import type { MeasurementLine, SpecOutcome } from '@sockspec/records';

/** One run of the scenario suite, as `sockspec soak` collects it from the run's records. */
export interface SoakRun {
  /** Every spec file of the run and how its tests ended. */
  readonly specs: readonly SpecOutcome[];
  /** What the run measured (its settings are left out: they are the same every run). */
  readonly measurements: readonly MeasurementLine[];
  readonly wallMs: number;
}

export interface SpecTally {
  readonly spec: string;
  readonly passedRuns: number;
  readonly failedRuns: number;
  /** Each failing test once, with how many runs it failed in and its first failure line. */
  readonly failures: readonly {
    readonly test: string;
    readonly runs: number;
    readonly first: string;
  }[];
}

export interface MeasurementSpread {
  readonly scenario: string;
  readonly name: string;
  readonly unit: string;
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
  /** max - min */
  readonly spread: number;
}

export interface SoakSummary {
  readonly runs: number;
  readonly specs: readonly SpecTally[];
  /** Numeric measurements only; a value that is not a number has no spread. */
  readonly measurements: readonly MeasurementSpread[];
  readonly failedRuns: number;
  readonly wallMs: readonly number[];
  /** CPU-bound processes that ran beside each run (`--load`). */
  readonly load: number;
}

/** Pass/fail per spec over the runs and the spread of every numeric measured value. Pure. */
export function summarizeSoak(runs: readonly SoakRun[], load = 0): SoakSummary {
  const tallies = new Map<
    string,
    { passed: number; failed: number; failures: Map<string, { runs: number; first: string }> }
  >();
  let failedRuns = 0;
  for (const run of runs) {
    let runFailed = false;
    for (const file of run.specs) {
      const spec = file.file;
      const tally = tallies.get(spec) ?? { passed: 0, failed: 0, failures: new Map() };
      tallies.set(spec, tally);
      const failed = file.tests.filter((test) => test.status === 'failed');
      // A file that failed outside its tests, or ran none at all, failed to run.
      if (failed.length > 0 || file.failure !== undefined || file.tests.length === 0) {
        tally.failed += 1;
        runFailed = true;
      } else tally.passed += 1;
      for (const test of failed) {
        const seen = tally.failures.get(test.fullName);
        const first = (test.failure ?? '').split('\n').find((line) => line.trim() !== '') ?? '';
        tally.failures.set(test.fullName, {
          runs: (seen?.runs ?? 0) + 1,
          first: seen?.first ?? first.trim(),
        });
      }
    }
    if (runFailed) failedRuns += 1;
  }
  const values = new Map<
    string,
    { scenario: string; name: string; unit: string; values: number[] }
  >();
  for (const run of runs) {
    for (const line of run.measurements) {
      if (typeof line.value !== 'number') continue;
      const key = `${line.scenario ?? '?'}\u0000${line.name}`;
      const entry = values.get(key) ?? {
        scenario: line.scenario ?? '?',
        name: line.name,
        unit: line.unit ?? '',
        values: [],
      };
      entry.values.push(line.value);
      values.set(key, entry);
    }
  }
  return {
    runs: runs.length,
    load,
    failedRuns,
    wallMs: runs.map((run) => run.wallMs),
    specs: [...tallies.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([spec, tally]) => ({
        spec,
        passedRuns: tally.passed,
        failedRuns: tally.failed,
        failures: [...tally.failures.entries()].map(([test, failure]) => ({ test, ...failure })),
      })),
    measurements: [...values.values()]
      .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.name.localeCompare(b.name))
      .map(({ scenario, name, unit, values: list }) => {
        const sorted = [...list].sort((a, b) => a - b);
        const min = sorted[0] ?? 0;
        const max = sorted[sorted.length - 1] ?? 0;
        return {
          scenario,
          name,
          unit,
          count: sorted.length,
          min,
          median: median(sorted),
          max,
          spread: max - min,
        };
      }),
  };
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const round = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toFixed(2);

/** The summary as Markdown: the runs, pass/fail per spec, failing tests, and the spread of each measured value. */
export function renderSoakMarkdown(summary: SoakSummary): string {
  const lines = [
    `${summary.runs} run(s) of the scenario suite` +
      (summary.load > 0 ? `, each beside ${summary.load} CPU-bound process(es)` : '') +
      `, ${summary.failedRuns} with a failure; wall times ` +
      summary.wallMs.map((ms) => `${(ms / 1000).toFixed(0)} s`).join(', ') +
      '.',
    '',
    '| Spec | Runs passed | Runs failed |',
    '| --- | --- | --- |',
    ...summary.specs.map((spec) => `| ${spec.spec} | ${spec.passedRuns} | ${spec.failedRuns} |`),
  ];
  const failures = summary.specs.flatMap((spec) =>
    spec.failures.map((failure) => ({ spec: spec.spec, ...failure })),
  );
  if (failures.length > 0) {
    lines.push('', 'Failing tests:', '');
    for (const failure of failures)
      lines.push(`- ${failure.spec}: ${failure.test} (${failure.runs} run(s)): ${failure.first}`);
  }
  lines.push(
    '',
    '| Spec | Measured | n | min | median | max | spread |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...summary.measurements.map(
      (m) =>
        `| ${m.scenario} | ${m.name}${m.unit === '' ? '' : ` (${m.unit})`} | ${m.count} | ${round(m.min)} | ` +
        `${round(m.median)} | ${round(m.max)} | ${round(m.spread)} |`,
    ),
  );
  return `${lines.join('\n')}\n`;
}
