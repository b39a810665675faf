import { testkitConfig } from './testkit-config';

/** What a scenario may need beyond one kernel with a loopback: `second-host` (two targets on one network). */
export type TargetFeature = 'second-host';

/** Whether targets of the configured kind (SOCKSPEC_TARGET) can provide a feature. */
export function targetSupports(feature: TargetFeature): boolean {
  return feature === 'second-host' ? testkitConfig().target === 'container' : true;
}
