import { ContainerTarget } from './container-target';
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
