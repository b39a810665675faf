import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { runLabels } from './labels';
import { testkitConfig } from './testkit-config';

/**
 * A Docker network that only the run's own targets share: internal (no route out, no gateway to the world),
 * labelled like every container, removed by `remove()` or by the run's sweep. A TargetNetwork: target-network.ts's
 * factory returns it as one (and so checks its shape), without this file importing that one back.
 */
export class DockerNetwork {
  readonly kind = 'container' as const;
  private removed = false;

  private constructor(
    readonly name: string,
    readonly id: string,
    readonly subnet: string,
  ) {}

  static async create(): Promise<DockerNetwork> {
    const config = testkitConfig();
    const name = `sockspec-${randomBytes(4).toString('hex')}`;
    const network = await new Docker().createNetwork({
      Name: name,
      Internal: true,
      CheckDuplicate: true,
      Labels: runLabels(config.runId, config.ownerPid),
    });
    const inspected = (await network.inspect()) as {
      IPAM?: { Config?: Array<{ Subnet?: string }> };
    };
    const subnet = inspected.IPAM?.Config?.[0]?.Subnet;
    if (subnet === undefined) throw new Error(`Docker gave ${name} no IPv4 subnet`);
    return new DockerNetwork(name, network.id, subnet);
  }

  /** Attaches a running container and answers with its address on this network. */
  async attach(containerId: string): Promise<string> {
    const docker = new Docker();
    await docker.getNetwork(this.id).connect({ Container: containerId });
    const inspected = await docker.getContainer(containerId).inspect();
    const address = inspected.NetworkSettings.Networks[this.name]?.IPAddress;
    if (address === undefined || address === '')
      throw new Error(`no address on ${this.name} for ${containerId}`);
    return address;
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await new Docker().getNetwork(this.id).remove();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}
