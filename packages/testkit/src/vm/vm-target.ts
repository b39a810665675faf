import { AGENT_PORT, namespacePrefix } from '@sockspec/agent/protocol';
import { AgentClient } from '../agent-client';
import { AgentTarget } from '../agent-target';
import { HARNESS_CEILING_MS } from '../harness-stall';
import type { TargetOptions } from '../target-options';
import { kernelFor } from './run-kernel';
import { VmBridge } from './vm-bridge';
import { vmTimeScale, type VmKernel } from './vm-kernel';

/**
 * A target on a VM kernel: a network namespace of its own on the run's booted Debian kernel, with its own agent
 * (reached through the kernel's supervisor), its own TCP table and its own `net.*` sysctls, as a container has on
 * the host's kernel.
 */
export class VmTarget extends AgentTarget {
  readonly kind = 'vm' as const;
  /** Under TCG every instruction is emulated: programs start and answer several times slower than in a container. */
  protected override readonly timeScale: number;
  private stopped = false;

  private constructor(
    agent: AgentClient,
    readonly name: string,
    private readonly kernel: VmKernel,
    /** The target's namespace on its kernel. */
    readonly namespace: number,
    /** The target's address on `options.network`, if it was given one. */
    readonly networkAddress: string | undefined,
  ) {
    super(agent);
    this.timeScale = vmTimeScale(kernel.handle.accelerator);
  }

  static async start(series: string, options: TargetOptions = {}): Promise<VmTarget> {
    if (options.network !== undefined && !(options.network instanceof VmBridge)) {
      throw new Error(
        `a target on vm:${series} cannot join ${options.network.name}, a container network`,
      );
    }
    const kernel = await kernelFor(series);
    const created = await kernel.createNamespace({
      sysctls: options.sysctls,
      sysctlsIfPresent: options.sysctlsIfPresent,
    });
    const agent = new AgentClient(
      kernel.handle.url + namespacePrefix(created.id),
      created.token,
      async () => {
        const info = await kernel.info().catch(() => undefined);
        return info === undefined
          ? `its kernel (${kernel.handle.release}) does not answer`
          : undefined;
      },
      HARNESS_CEILING_MS * vmTimeScale(kernel.handle.accelerator),
    );
    let networkAddress: string | undefined;
    try {
      networkAddress = await options.network?.attach(created.id);
    } catch (error) {
      await kernel.removeNamespace(created.id).catch(() => undefined);
      throw error;
    }
    const target = new VmTarget(
      agent,
      `vm:${kernel.handle.release}/ns${created.id}`,
      kernel,
      created.id,
      networkAddress,
    );
    target.requestedSysctls = created.applied;
    target.reportDir = options.reportDir;
    target.announce(created.token);
    return target;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.recordTimeline(AGENT_PORT);
    await this.kernel.removeNamespace(this.namespace).catch(() => undefined);
  }
}
