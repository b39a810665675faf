import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineRecord, Verdict } from '@sockspec/testkit';

export interface MeasurementLine {
  readonly type: 'measurement';
  readonly claims: readonly string[];
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit?: string;
  /** Where the value was read: kernel, capture or clock. */
  readonly from?: string;
  readonly scenario?: string;
  readonly test?: string;
}

/** One of a scenario's own settings, recorded as it ran. */
export interface SettingLine {
  readonly type: 'setting';
  readonly name: string;
  readonly value: number | string;
  readonly unit?: string;
  readonly scenario?: string;
  readonly test?: string;
}

export interface VerdictLine {
  readonly type: 'verdict';
  readonly claim: string;
  readonly verdict: Verdict;
  readonly finding: string;
  readonly scenario?: string;
  readonly test?: string;
}

/** One test of a spec file and how it ended, as Jest reported it. */
export interface TestOutcome {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  /** The describe titles and the test's own, joined by spaces (Jest's fullName). */
  readonly fullName: string;
  /** passed, failed, or one of Jest's ways of not running a test (skipped, pending, todo, disabled). */
  readonly status: string;
  /** The first lines of the failure message, for a failed test. */
  readonly failure?: string;
}

/** One spec file of the run: how long it took and its tests. */
export interface SpecOutcome {
  /** Relative to scenarios/. */
  readonly file: string;
  readonly durationMs: number;
  /** Why the file failed outside its tests (it did not compile, a hook outside any describe threw). */
  readonly failure?: string;
  /** The claims its opening comment lists: what a file that failed before its tests would have checked. */
  readonly claims?: readonly string[];
  readonly tests: readonly TestOutcome[];
}

/** Everything a run left in the report folder. */
export interface RunData {
  readonly measurements: readonly MeasurementLine[];
  readonly settings: readonly SettingLine[];
  readonly verdicts: readonly VerdictLine[];
  readonly records: readonly TimelineRecord[];
  /** Every spec file and test that ran, from tests.json; empty when the run wrote none. */
  readonly specs: readonly SpecOutcome[];
}

/** Where the reporter writes the outcome of every test. */
export const TESTS_FILE = 'tests.json';

/** Reads report/measurements.jsonl and report/records/*.json; a missing folder is an empty run. */
export function readRunData(dir: string): RunData {
  const lines = existsSync(join(dir, 'measurements.jsonl'))
    ? readFileSync(join(dir, 'measurements.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as MeasurementLine | SettingLine | VerdictLine)
    : [];
  const recordsDir = join(dir, 'records');
  const records = existsSync(recordsDir)
    ? readdirSync(recordsDir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => JSON.parse(readFileSync(join(recordsDir, name), 'utf8')) as TimelineRecord)
    : [];
  const testsFile = join(dir, TESTS_FILE);
  const specs = existsSync(testsFile)
    ? (JSON.parse(readFileSync(testsFile, 'utf8')) as { specs: SpecOutcome[] }).specs
    : [];
  return {
    measurements: lines.filter((line): line is MeasurementLine => line.type === 'measurement'),
    settings: lines.filter((line): line is SettingLine => line.type === 'setting'),
    verdicts: lines.filter((line): line is VerdictLine => line.type === 'verdict'),
    records,
    specs,
  };
}
