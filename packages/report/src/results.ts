import { CLAIMS } from '@sockspec/claims';
import {
  deriveVerdict,
  type ClaimFailure,
  type ClaimTest,
  type ClaimVerdict,
  type FamilyVerdicts,
} from './claim-verdicts';
import {
  sysctlsFileOf,
  type MeasurementLine,
  type RunData,
  type SettingLine,
} from '@sockspec/records';
import type { ShownMeasurement } from './measurement-text';

export type { ClaimFailure, ClaimVerdict, FamilyVerdicts } from './claim-verdicts';

/**
 * A value read by a test that did not pass: not established, so shown apart from what was measured, with the test
 * and how it ended (`not run` also for a test the run has no outcome of; `outside a test` for a hook's value).
 */
export interface UnconfirmedMeasurement extends ShownMeasurement {
  /** The spec file that read it. */
  readonly file: string;
  /** `file > test name`, or the file alone for a value read outside a test. */
  readonly test: string;
  readonly status: 'failed' | 'not run' | 'outside a test';
}

export interface ClaimResult {
  readonly id: string;
  readonly claim: string;
  readonly verdict: ClaimVerdict;
  readonly findings: readonly string[];
  /** For a claim its tests checked over both families: the verdict each family's passing tests declared. */
  readonly families?: FamilyVerdicts;
  /** Why the claim is `failed` (each failing test and its message's first line) or `not run`. */
  readonly reason?: string;
  /** For a `failed` claim: each failure's whole message, which `reason` only names. */
  readonly failures?: readonly ClaimFailure[];
  /** What tests that passed measured: the only values shown as measured. */
  readonly measured: readonly ShownMeasurement[];
  /** What tests that failed or did not run had read: shown apart, as from a failed test. */
  readonly unconfirmed: readonly UnconfirmedMeasurement[];
  readonly scenarios: readonly string[];
  /** Every test that names the claim and how it ended: the evidence the verdict comes from. */
  readonly tests: readonly ClaimTest[];
}

/** A spec file of the run: how long it took, how its tests ended, and the settings it ran with. */
export interface SpecSummary {
  readonly file: string;
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly notRun: number;
  readonly settings: readonly Pick<SettingLine, 'name' | 'value' | 'unit'>[];
}

/** A kernel the run ran on, with where its evidence is: its uname and every net.* sysctl it has. */
export interface KernelEvidence {
  readonly release: string;
  readonly uname: string;
  readonly netSysctls: Readonly<Record<string, string>>;
  /** The same list as text, relative to the report folder. */
  readonly sysctlsFile: string;
}

export interface Results {
  readonly kernel: string;
  readonly target: string;
  readonly time: string;
  readonly claims: readonly ClaimResult[];
  readonly specs: readonly SpecSummary[];
  readonly kernels: readonly KernelEvidence[];
}

/** How each test of the run ended, by `file > full name`; a name run twice counts as failed if either run failed. */
function outcomesOf(run: RunData): Map<string, string> {
  const outcomes = new Map<string, string>();
  for (const spec of run.specs)
    for (const test of spec.tests) {
      const key = `${spec.file} > ${test.fullName}`;
      if (outcomes.get(key) !== 'failed') outcomes.set(key, test.status);
    }
  return outcomes;
}

/** The value as shown, without its record's bookkeeping. */
function shown({ name, value, unit, from, timing, family }: MeasurementLine): ShownMeasurement {
  return {
    name,
    value,
    ...(unit === undefined ? {} : { unit }),
    ...(from === undefined ? {} : { from }),
    ...(timing === undefined ? {} : { timing }),
    ...(family === undefined ? {} : { family }),
  };
}

/** A claim's values, split by whether the test that read them passed. */
function measurementsOf(
  lines: readonly MeasurementLine[],
  outcomes: ReadonlyMap<string, string>,
): Pick<ClaimResult, 'measured' | 'unconfirmed'> {
  const measured: ShownMeasurement[] = [];
  const unconfirmed: UnconfirmedMeasurement[] = [];
  for (const line of lines) {
    const test = `${line.scenario ?? ''} > ${line.test ?? ''}`;
    const status = line.test === undefined ? 'outside a test' : outcomes.get(test);
    if (status === 'passed') measured.push(shown(line));
    else
      unconfirmed.push({
        ...shown(line),
        file: line.scenario ?? 'no spec file',
        test: line.test === undefined ? (line.scenario ?? 'no spec file') : test,
        status: status === 'failed' || status === 'outside a test' ? status : 'not run',
      });
  }
  return { measured, unconfirmed };
}

/**
 * One row per claim, its verdict derived from every test that names it (claim-verdicts.ts), with what was measured.
 * A value counts as measured only if the test that read it passed; the rest are kept apart as unconfirmed. A spec's
 * own settings are listed with its spec file, never under a claim.
 */
export function buildResults(run: RunData, time: string): Results {
  // A VM run still starts containers for the kit's own checks: name the VM kernels when there are any.
  const vms = run.records.filter((record) => record.kind === 'vm');
  const named = vms.length > 0 ? vms : run.records;
  const kernels = [...new Set(named.map((record) => record.kernel))];
  const kinds = [...new Set(named.map((record) => record.kind))];
  const outcomes = outcomesOf(run);
  const claims = CLAIMS.map((claim): ClaimResult => {
    const derived = deriveVerdict(claim.id, run.specs, run.verdicts);
    const lines = run.measurements.filter((line) => line.claims.includes(claim.id));
    return {
      id: claim.id,
      claim: claim.text,
      verdict: derived.verdict,
      findings: derived.findings,
      ...(derived.families === undefined ? {} : { families: derived.families }),
      ...(derived.reason === undefined ? {} : { reason: derived.reason }),
      ...(derived.failures === undefined ? {} : { failures: derived.failures }),
      ...measurementsOf(lines, outcomes),
      scenarios: [...new Set(derived.tests.map((test) => test.file))].sort(),
      tests: derived.tests,
    };
  });
  return {
    kernel: kernels.join(', ') || 'unknown',
    target: kinds.join(', ') || 'none',
    time,
    claims,
    specs: run.specs.map((spec) => ({
      file: spec.file,
      durationMs: spec.durationMs,
      passed: spec.tests.filter((test) => test.status === 'passed').length,
      failed: spec.tests.filter((test) => test.status === 'failed').length,
      notRun: spec.tests.filter((test) => test.status !== 'passed' && test.status !== 'failed')
        .length,
      settings: uniqueSettings(run.settings.filter((line) => line.scenario === spec.file)),
    })),
    kernels: kernelEvidence(run),
  };
}

/** Each setting once: a story that runs twice records its settings twice. */
function uniqueSettings(lines: readonly SettingLine[]): SpecSummary['settings'] {
  const seen = new Map<string, SpecSummary['settings'][number]>();
  for (const { name, value, unit } of lines) {
    seen.set(`${name}\u0000${String(value)}\u0000${unit ?? ''}`, {
      name,
      value,
      ...(unit === undefined ? {} : { unit }),
    });
  }
  return [...seen.values()];
}

/** One entry per kernel release, from a target that set no sysctls of its own where there is one: its defaults. */
function kernelEvidence(run: RunData): KernelEvidence[] {
  const withEvidence = run.records.filter(
    (record) => record.uname !== undefined && record.netSysctls !== undefined,
  );
  return [...new Set(withEvidence.map((record) => record.kernel))].map((release) => {
    const mine = withEvidence.filter((record) => record.kernel === release);
    const chosen =
      mine.find((record) => Object.keys(record.requestedSysctls ?? {}).length === 0) ?? mine[0];
    return {
      release,
      uname: chosen?.uname ?? '',
      netSysctls: chosen?.netSysctls ?? {},
      sysctlsFile: sysctlsFileOf(release),
    };
  });
}
