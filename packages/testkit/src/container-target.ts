import { randomBytes } from 'node:crypto';
import type { StartedTestContainer } from 'testcontainers';
import { AgentClient } from './agent-client';
import { AgentReady } from './agent-ready';
import { AgentTarget } from './agent-target';
import { diagnoseContainer } from './container-diagnosis';
import { runLabels } from './labels';
import { TargetContainer } from './target-container';
import type { TargetNetwork } from './target-network';
import { testkitConfig } from './testkit-config';

const AGENT_PORT = 7070;

/** Linux capabilities a scenario may ask for; everything else is dropped. */
export type Capability = 'NET_ADMIN' | 'NET_RAW' | 'SETUID' | 'SETGID';

export interface ContainerTargetOptions {
  /**
   * `net.*` sysctls for this target's network namespace, e.g. `{ 'net.core.somaxconn': 1 }`.
   * They are set when the container is created, before anything runs in it.
   */
  readonly sysctls?: Readonly<Record<string, string | number>>;
  /** Only what the scenario needs: NET_ADMIN to drop segments with nftables, NET_RAW for tcpdump. Never privileged. */
  readonly capabilities?: readonly Capability[];
  /** The image to run (default: SOCKSPEC_IMAGE or sockspec-target:latest). */
  readonly image?: string;
  /**
   * Also attach the target to this internal network, for scenarios between two targets; its address there is
   * `networkAddress`. The agent stays reachable on 127.0.0.1 through the default bridge.
   */
  readonly network?: TargetNetwork;
}

/** A target that is a Docker container sharing the host's kernel, in a network namespace of its own. */
export class ContainerTarget extends AgentTarget {
  readonly kind = 'container' as const;
  private stopped = false;

  private constructor(
    agent: AgentClient,
    readonly name: string,
    private readonly container: StartedTestContainer,
    /** The target's address on `options.network`, if it was given one. */
    readonly networkAddress: string | undefined,
  ) {
    super(agent);
  }

  static async start(options: ContainerTargetOptions = {}): Promise<ContainerTarget> {
    const config = testkitConfig();
    const token = randomBytes(24).toString('hex');
    const container = await new TargetContainer(options.image ?? config.image)
      .withSysctls(options.sysctls ?? {})
      .withDroppedCapabilities('ALL')
      .withAddedCapabilities(...(options.capabilities ?? []))
      .withEnvironment({
        ...config.targetEnvironment,
        SOCKSPEC_AGENT_TOKEN: token,
        SOCKSPEC_AGENT_PORT: String(AGENT_PORT),
      })
      .withExposedPorts(AGENT_PORT)
      .withLabels(runLabels(config.runId, config.ownerPid))
      .withWaitStrategy(new AgentReady(AGENT_PORT, config.startupCeilingMs))
      .start();
    const agent = new AgentClient(
      `http://127.0.0.1:${container.getMappedPort(AGENT_PORT)}`,
      token,
      () => diagnoseContainer(container.getId()),
    );
    try {
      // The agent answers on the published port; this proves that it is our agent (it takes this target's token).
      await agent.get('/v1/info');
    } catch (error) {
      await container
        .stop({ timeout: 0, remove: true, removeVolumes: true })
        .catch(() => undefined);
      throw error;
    }
    const networkAddress = await options.network?.attach(container.getId());
    const target = new ContainerTarget(
      agent,
      `container:${container.getId().slice(0, 12)}`,
      container,
      networkAddress,
    );
    target.requestedSysctls = options.sysctls ?? {};
    return target;
  }

  /** The Docker container's full id. */
  get containerId(): string {
    return this.container.getId();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.recordTimeline(AGENT_PORT);
    await this.container.stop({ timeout: 2_000, remove: true, removeVolumes: true });
  }
}

/** What a scenario may need beyond one kernel with a loopback: `second-host` (two targets on one network). */
export type TargetFeature = 'second-host';

/** Whether targets of the configured kind (SOCKSPEC_TARGET) can provide a feature. */
export function targetSupports(feature: TargetFeature): boolean {
  return feature === 'second-host' ? testkitConfig().target === 'container' : true;
}
