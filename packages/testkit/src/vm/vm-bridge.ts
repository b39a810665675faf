import { kernelFor } from './run-kernel';
import type { VmKernel } from './vm-kernel';

/**
 * A bridge inside a VM kernel joining some of its targets: a subnet of their own, no address of the kernel's on it.
 * A TargetNetwork: target-network.ts's factory returns it as one (and so checks its shape), without this file
 * importing that one back.
 */
export class VmBridge {
  readonly kind = 'vm' as const;
  private removed = false;

  private constructor(
    readonly kernel: VmKernel,
    readonly id: number,
    readonly name: string,
    readonly subnet: string,
  ) {}

  static async create(series: string): Promise<VmBridge> {
    const kernel = await kernelFor(series);
    const { id, name, subnet } = await kernel.createBridge();
    return new VmBridge(kernel, id, name, subnet);
  }

  /** Joins a target (by its namespace on this kernel) and answers its address on the bridge. */
  async attach(namespace: number): Promise<string> {
    return (await this.kernel.attach(this.id, namespace)).address;
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await this.kernel.removeBridge(this.id);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}
