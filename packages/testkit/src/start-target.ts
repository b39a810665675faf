import type { ClaimId } from '@sockspec/claims';
import { ContainerTarget } from './container-target';
import { recordMeasurement } from './measurements';
import type { Target } from './target';
import type { TargetOptions } from './target-options';
import { testkitConfig, vmSeries } from './testkit-config';
import { VmTarget } from './vm/vm-target';

/**
 * Starts a target: of the kind the options name, else of the configured kind (SOCKSPEC_TARGET=container, the
 * default, or vm:<kernel series> such as vm:6.1). Specs call this and name no kind, so one spec runs on every kind.
 */
export async function startTarget(options: TargetOptions = {}): Promise<Target> {
  const kind = options.kind ?? testkitConfig().target;
  if (kind === 'container') return ContainerTarget.start(options);
  const series = vmSeries(kind);
  if (series !== undefined) return VmTarget.start(series, options);
  throw new Error(`'${kind}' is not a kind of target: use container or vm:<series> (vm:6.1)`);
}

/** A kernel's refusal to set a sysctl in one target's namespace: it keeps one value for all of them. */
export interface SysctlRefusal {
  readonly refused: string;
}

/**
 * Starts a target whose `sysctls` must be its namespace's own, or answers the kernel's refusal when one is global
 * on that kernel (the VM supervisor's 422 `sysctl-not-per-namespace`): a spec then records it and declares no verdict.
 */
export async function startTargetUnlessRefused(
  options: TargetOptions,
): Promise<Target | SysctlRefusal> {
  try {
    return await startTarget(options);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'sysctl-not-per-namespace') throw error;
    return { refused: (error as Error).message };
  }
}

/**
 * Records a kernel's refusal of a claim's sysctl as what was read from it, in the test that would have checked the
 * claim: the test then declares no verdict, and the report says `not run` with the refusal beside it.
 */
export function recordSysctlRefusal(claim: ClaimId, sysctl: string, refusal: SysctlRefusal): void {
  recordMeasurement({
    claims: [claim],
    name: `${sysctl} refused for a target`,
    value: refusal.refused,
    from: 'kernel',
  });
}
