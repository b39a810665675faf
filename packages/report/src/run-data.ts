import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineRecord, Verdict } from '@sockspec/testkit';

export interface MeasurementLine {
  readonly type: 'measurement';
  readonly claims: readonly string[];
  readonly name: string;
  readonly value: number | string | boolean;
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

/** Everything a run left in the report folder. */
export interface RunData {
  readonly measurements: readonly MeasurementLine[];
  readonly verdicts: readonly VerdictLine[];
  readonly records: readonly TimelineRecord[];
}

/** Reads report/measurements.jsonl and report/records/*.json; a missing folder is an empty run. */
export function readRunData(dir: string): RunData {
  const lines = existsSync(join(dir, 'measurements.jsonl'))
    ? readFileSync(join(dir, 'measurements.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as MeasurementLine | VerdictLine)
    : [];
  const recordsDir = join(dir, 'records');
  const records = existsSync(recordsDir)
    ? readdirSync(recordsDir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => JSON.parse(readFileSync(join(recordsDir, name), 'utf8')) as TimelineRecord)
    : [];
  return {
    measurements: lines.filter((line): line is MeasurementLine => line.type === 'measurement'),
    verdicts: lines.filter((line): line is VerdictLine => line.type === 'verdict'),
    records,
  };
}
