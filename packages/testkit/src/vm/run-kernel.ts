import { testkitConfig } from '../testkit-config';
import { VmKernel } from './vm-kernel';

/** Kernels this process booted itself (no run booted one of that series), powered off when it exits. */
const ownKernels = new Map<string, Promise<VmKernel>>();
const booted: VmKernel[] = [];

/**
 * The kernel of `series` that this run's targets share: the one the run's globalSetup booted (SOCKSPEC_VM_KERNEL),
 * else one booted by this process on first use and powered off at its exit.
 */
export function kernelFor(series: string): Promise<VmKernel> {
  const handle = testkitConfig().vmKernel;
  if (handle?.series === series) return Promise.resolve(VmKernel.connect(handle));
  let kernel = ownKernels.get(series);
  if (kernel === undefined) {
    if (ownKernels.size === 0) process.once('exit', () => booted.forEach((one) => one.stop()));
    kernel = VmKernel.boot(series, (line) => process.stderr.write(line)).then((one) => {
      booted.push(one);
      return one;
    });
    ownKernels.set(series, kernel);
  }
  return kernel;
}
