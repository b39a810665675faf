import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { currentScenario, reportDir } from './report-dir';

/** A value a scenario measured on a kernel, with the claims it bears on. */
export interface Measurement {
  readonly claims: readonly string[];
  /** What was measured, as a short phrase: `TIME_WAIT length`. */
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit?: string;
}

/** How the kernel's behaviour compares with the article's claim, as the passing spec established it. */
export type Verdict = 'holds' | 'holds-with-nuance' | 'differs';

export interface VerdictRecord {
  readonly claim: string;
  readonly verdict: Verdict;
  /** One sentence: what the kernel did, in the spec's words. */
  readonly finding: string;
}

function append(record: object): void {
  const dir = reportDir();
  mkdirSync(dir, { recursive: true });
  const { file, test } = currentScenario();
  const line = { ...record, scenario: file, test, time: new Date().toISOString() };
  appendFileSync(join(dir, 'measurements.jsonl'), `${JSON.stringify(line)}\n`);
}

/** Appends what a scenario measured to report/measurements.jsonl, for the report. Nothing here is a verdict. */
export function recordMeasurement(measurement: Measurement): void {
  append({ type: 'measurement', ...measurement });
}

/**
 * Records a claim's verdict. Call it after the assertions that establish it: a failing spec records nothing,
 * so the report can only show verdicts the kernel confirmed in this run.
 */
export function recordVerdict(verdict: VerdictRecord): void {
  append({ type: 'verdict', ...verdict });
}
