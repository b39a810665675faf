import { randomBytes } from 'node:crypto';
import { AGENT_PORT, PATHS } from '@sockspec/agent/protocol';
import { readSysctl } from '@sockspec/inspector';
import type { StartedTestContainer } from 'testcontainers';
import { AgentClient } from './agent-client';
import { AgentReady } from './agent-ready';
import { AgentTarget } from './agent-target';
import { diagnoseContainer } from './container-diagnosis';
import { DockerNetwork } from './docker-network';
import { ImageServer, type ImageServerOptions } from './image-server';
import { runLabels } from './labels';
import { TargetContainer } from './target-container';
import type { TargetOptions } from './target-options';
import { testkitConfig } from './testkit-config';

/** A target that is a Docker container sharing the host's kernel, in a network namespace of its own. */
export class ContainerTarget extends AgentTarget {
  readonly kind = 'container' as const;
  private stopped = false;
  /** Every server started from an image in this target's namespace: removed before the target stops. */
  private readonly imageServers: ImageServer[] = [];

  private constructor(
    agent: AgentClient,
    readonly name: string,
    private readonly container: StartedTestContainer,
    /** The target's address on `options.network`, if it was given one. */
    readonly networkAddress: string | undefined,
  ) {
    super(agent);
  }

  static async start(options: TargetOptions = {}): Promise<ContainerTarget> {
    if (options.network !== undefined && !(options.network instanceof DockerNetwork)) {
      throw new Error(
        `a container target cannot join ${options.network.name}, a VM kernel's bridge`,
      );
    }
    const config = testkitConfig();
    const token = randomBytes(24).toString('hex');
    const container = await new TargetContainer(options.image ?? config.image)
      .withSysctls({
        ...LOOPBACK_IPV6,
        ...presentOnThisKernel(options.sysctlsIfPresent ?? {}),
        ...options.sysctls,
      })
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
      await agent.get(PATHS.info);
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
    target.requestedSysctls = {
      ...presentOnThisKernel(options.sysctlsIfPresent ?? {}),
      ...options.sysctls,
    };
    target.reportDir = options.reportDir;
    target.announce(token);
    return target;
  }

  /** The Docker container's full id. */
  get containerId(): string {
    return this.container.getId();
  }

  /**
   * Runs a Docker image as a server in this target's network namespace (`--network container:<agent>`), with its
   * own entrypoint and CMD or the given arguments: the agent sees its sockets, counters and captures. Its
   * container, and any it is started `again()` in, is removed when the target stops.
   */
  runImage(image: string, options: ImageServerOptions = {}): Promise<ImageServer> {
    return ImageServer.start(this.containerId, image, options, (server) =>
      this.imageServers.push(server),
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // The servers first: they live in the agent's namespace.
    await Promise.all(this.imageServers.map((server) => server.remove()));
    await this.recordTimeline(AGENT_PORT);
    await this.container.stop({ timeout: 2_000, remove: true, removeVolumes: true });
  }
}

/**
 * Docker turns IPv6 off in a container whose networks have none, ::1 included; the specs run over ::1 too. Only the
 * loopback gets it back: the container's other interfaces stay without IPv6, so nothing leaves by it.
 */
const LOOPBACK_IPV6 = { 'net.ipv6.conf.lo.disable_ipv6': 0 };

/** The sysctls of the list this machine's kernel has: a container runs on the host's kernel. */
function presentOnThisKernel(
  sysctls: Readonly<Record<string, string | number>>,
): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(sysctls).filter(([name]) => readSysctl(name) !== undefined),
  );
}
