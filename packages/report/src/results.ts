import { CLAIMS } from '@sockspec/claims';
import { deriveVerdict, type ClaimTest, type ClaimVerdict } from './claim-verdicts';
import { sysctlsFileOf, type RunData, type SettingLine } from '@sockspec/records';

export type { ClaimVerdict } from './claim-verdicts';

export interface ClaimResult {
  readonly id: string;
  readonly claim: string;
  readonly verdict: ClaimVerdict;
  readonly findings: readonly string[];
  /** Why the claim is `failed` (the failing test and its message) or `not run`. */
  readonly reason?: string;
  readonly measured: readonly {
    readonly name: string;
    readonly value: number | string | boolean;
    readonly unit?: string;
    readonly from?: string;
  }[];
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

/**
 * One row per claim, its verdict derived from every test that names it (claim-verdicts.ts), with what was measured.
 * Only measured values appear under a claim; a spec's own settings are listed with its spec file.
 */
export function buildResults(run: RunData, time: string): Results {
  // A VM run still starts containers for the kit's own checks: name the VM kernels when there are any.
  const vms = run.records.filter((record) => record.kind === 'vm');
  const named = vms.length > 0 ? vms : run.records;
  const kernels = [...new Set(named.map((record) => record.kernel))];
  const kinds = [...new Set(named.map((record) => record.kind))];
  const claims = CLAIMS.map((claim): ClaimResult => {
    const derived = deriveVerdict(claim.id, run.specs, run.verdicts);
    const measured = run.measurements.filter((line) => line.claims.includes(claim.id));
    return {
      id: claim.id,
      claim: claim.text,
      verdict: derived.verdict,
      findings: derived.findings,
      ...(derived.reason === undefined ? {} : { reason: derived.reason }),
      measured: measured.map(({ name, value, unit, from }) => ({
        name,
        value,
        ...(unit === undefined ? {} : { unit }),
        ...(from === undefined ? {} : { from }),
      })),
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
