import { ContainerTarget, type ContainerTargetOptions } from './container-target';
import { testkitConfig, vmSeries } from './testkit-config';
import { VmTarget } from './vm-target';

/**
 * Starts a target of the configured kind: SOCKSPEC_TARGET=container (the default), or vm:<kernel series> such as
 * vm:6.1 for a Debian cloud kernel booted in qemu. Specs call this and never name a kind.
 */
export async function startTarget(
  options: ContainerTargetOptions = {},
): Promise<ContainerTarget | VmTarget> {
  const { target } = testkitConfig();
  if (target === 'container') return ContainerTarget.start(options);
  const series = vmSeries(target);
  if (series !== undefined) return VmTarget.start(series, options);
  throw new Error(
    `SOCKSPEC_TARGET=${target} is not a kind of target: use container or vm:<series> (vm:6.1)`,
  );
}
