import { DockerNetwork } from './docker-network';
import { testkitConfig, vmSeries } from './testkit-config';
import { VmBridge } from './vm/vm-bridge';

/**
 * A network of the run's own that joins targets for scenarios between two hosts: an internal Docker network for
 * containers, a bridge inside the kernel for targets on a VM kernel. Either way nothing on it leads out.
 */
export interface TargetNetwork extends AsyncDisposable {
  readonly kind: 'container' | 'vm';
  readonly name: string;
  /** Its IPv4 subnet in CIDR form, as `ip route` prints it (`10.77.1.0/24`). */
  readonly subnet: string;
  remove(): Promise<void>;
}

export const TargetNetwork = {
  /** A network for targets of `kind` (default: the configured kind, SOCKSPEC_TARGET). */
  async create(kind: string = testkitConfig().target): Promise<TargetNetwork> {
    const series = vmSeries(kind);
    return series === undefined ? DockerNetwork.create() : VmBridge.create(series);
  },
};
