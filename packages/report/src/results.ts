import { CLAIMS } from './claims';
import type { RunData } from './run-data';

export type ClaimVerdict = 'holds' | 'holds-with-nuance' | 'differs' | 'not run';

export interface ClaimResult {
  readonly id: string;
  readonly claim: string;
  readonly verdict: ClaimVerdict;
  readonly findings: readonly string[];
  readonly measured: readonly {
    readonly name: string;
    readonly value: number | string | boolean;
    readonly unit?: string;
  }[];
  readonly scenarios: readonly string[];
}

/** A spec file of the run: how long it took and how its tests ended. */
export interface SpecSummary {
  readonly file: string;
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly notRun: number;
}

export interface Results {
  readonly kernel: string;
  readonly target: string;
  readonly time: string;
  readonly claims: readonly ClaimResult[];
  readonly specs: readonly SpecSummary[];
}

const STRENGTH: Readonly<Record<string, number>> = { holds: 0, 'holds-with-nuance': 1, differs: 2 };

/**
 * One verdict per claim from the run's records. A claim several tests bear on takes the strongest departure
 * from the article any of them found (differs over holds-with-nuance over holds); one no test confirmed is
 * `not run`. Verdicts of tests that failed after recording are dropped.
 */
export function buildResults(run: RunData, time: string): Results {
  const failedTests = new Set(
    run.specs.flatMap((spec) =>
      spec.tests
        .filter((test) => test.status === 'failed')
        .map((test) => `${spec.file} > ${test.fullName}`),
    ),
  );
  // A VM run still starts containers for the kit's own checks: name the VM kernels when there are any.
  const vms = run.records.filter((record) => record.kind === 'vm');
  const named = vms.length > 0 ? vms : run.records;
  const kernels = [...new Set(named.map((record) => record.kernel))];
  const kinds = [...new Set(named.map((record) => record.kind))];
  const verdicts = run.verdicts.filter(
    (line) => !failedTests.has(`${line.scenario} > ${line.test}`),
  );
  const claims = CLAIMS.map((claim): ClaimResult => {
    const mine = verdicts.filter((line) => line.claim === claim.id);
    const measured = run.measurements.filter((line) => line.claims.includes(claim.id));
    const strongest = mine.reduce<ClaimVerdict>(
      (best, line) =>
        (STRENGTH[line.verdict] ?? 0) > (STRENGTH[best] ?? -1) ? line.verdict : best,
      'not run',
    );
    return {
      id: claim.id,
      claim: claim.text,
      verdict: mine.length === 0 ? 'not run' : strongest,
      findings: [...new Set(mine.map((line) => line.finding))],
      measured: measured.map(({ name, value, unit }) => ({
        name,
        value,
        ...(unit === undefined ? {} : { unit }),
      })),
      scenarios: [...new Set([...mine, ...measured].map((line) => line.scenario ?? '?'))].sort(),
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
    })),
  };
}
