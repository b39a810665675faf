import { claimIdsIn, type ClaimId } from '@sockspec/claims';
import {
  appendRecordLine,
  familyInTitle,
  reportDir,
  type MeasurementTiming,
  type RecordLine,
} from '@sockspec/records';
import { currentScenario } from './jest-state';

/**
 * A value a scenario measured on a kernel, with the claims it bears on. Measured means read from the kernel (procfs,
 * a sysctl, a counter, an errno), from a packet capture, or from a clock: never one of the spec's own settings.
 */
export interface Measurement {
  readonly claims: readonly ClaimId[];
  /** What was measured, as a short phrase: `TIME_WAIT length`. */
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit?: string;
  /** Where the value was read: the kernel's own interfaces, a capture of the segments, or a clock. */
  readonly from: 'kernel' | 'capture' | 'clock';
  /** For a duration: which clocks timed its ends, and its uncertainty (the report shows both beside the value). */
  readonly timing?: MeasurementTiming;
}

/** One of a scenario's own settings (a hold time, a client count): what it did, not what the kernel did. */
export interface Setting {
  readonly name: string;
  readonly value: number | string;
  readonly unit?: string;
}

/** How the kernel's behaviour compares with the article's claim, as a spec declares it for this run. */
export type Verdict = 'holds' | 'holds-with-nuance' | 'differs';

export interface VerdictRecord {
  readonly claim: ClaimId;
  readonly verdict: Verdict;
  /** One sentence: what the kernel did, in the spec's words. */
  readonly finding: string;
}

function append(record: RecordLine): void {
  const { file, test } = currentScenario();
  // A measurement's or verdict's family, from its test's title; a setting is the spec's, whatever family runs.
  const family = test === undefined || record.type === 'setting' ? undefined : familyInTitle(test);
  appendRecordLine(reportDir(), {
    ...record,
    ...(family === undefined ? {} : { family }),
    scenario: file,
    test,
    time: new Date().toISOString(),
  });
}

/** Appends what a scenario measured to the run's records, for the report. Nothing here is a verdict. */
export function recordMeasurement(measurement: Measurement): void {
  append({ type: 'measurement', ...measurement });
}

/** Appends one of the scenario's settings to the run's records; the report lists them apart from measurements. */
export function recordSetting(setting: Setting): void {
  append({ type: 'setting', ...setting });
}

/**
 * Declares the verdict a claim gets in this run if every test that names it passes: the report derives the claim's
 * verdict from those tests' outcomes, and shows `failed` when one of them fails, whatever was declared. It must be
 * called in a test whose title (or a describe around it) names the claim.
 */
export function recordVerdict(verdict: VerdictRecord): void {
  const { test } = currentScenario();
  if (test === undefined || !claimIdsIn(test).ids.includes(verdict.claim)) {
    throw new Error(
      `recordVerdict(${verdict.claim}) in ${test === undefined ? 'no test' : `'${test}'`}: a verdict is declared in a ` +
        `test that names its claim, e.g. '... (${verdict.claim})' in its title or a describe around it`,
    );
  }
  append({ type: 'verdict', ...verdict });
}
