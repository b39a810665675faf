import type { BridgeCreated, BridgeMember } from '../protocol';
import { notFound } from '../http-error';
import { inNamespaceOf, runTool } from './run-tool';

/** The bridges' subnets: 10.77.<bridge id>.0/24, inside the VM only. */
const SUBNET_PREFIX = '10.77';
const MAX_BRIDGES = 250;

interface Bridge extends BridgeCreated {
  members: number;
}

/**
 * The two-host networks of a VM kernel: a Linux bridge in the first namespace, with no address of its own and no
 * route to it, and for each member a veth pair whose one end is the member's eth<n>. What the members send stays
 * on the bridge: nothing forwards it further.
 */
export class Bridges {
  private readonly bridges = new Map<number, Bridge>();
  /** Interfaces each target (by its namespace id) has been given, for the name of its next. */
  private readonly devices = new Map<number, number>();
  private nextId = 1;

  async create(): Promise<BridgeCreated> {
    if (this.nextId > MAX_BRIDGES) throw new Error('no more bridges on this kernel');
    const id = this.nextId++;
    const name = `sbr${id}`;
    await runTool('ip', ['link', 'add', name, 'type', 'bridge']);
    await runTool('ip', ['link', 'set', name, 'up']);
    const bridge = { id, name, subnet: `${SUBNET_PREFIX}.${id}.0/24`, members: 0 };
    this.bridges.set(id, bridge);
    return { id, name, subnet: bridge.subnet };
  }

  /** Joins a target (its namespace id, its agent's pid) to a bridge and answers its address there. */
  async attach(id: number, namespace: number, pid: number): Promise<BridgeMember> {
    const bridge = this.get(id);
    bridge.members += 1;
    const member = bridge.members;
    const device = `eth${this.devices.get(namespace) ?? 0}`;
    this.devices.set(namespace, (this.devices.get(namespace) ?? 0) + 1);
    const outside = `sb${id}h${member}`;
    const inside = `sb${id}t${member}`;
    const address = `${SUBNET_PREFIX}.${id}.${member + 1}`;
    await runTool('ip', ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
    await runTool('ip', ['link', 'set', outside, 'master', bridge.name, 'up']);
    await runTool('ip', ['link', 'set', inside, 'netns', String(pid)]);
    await inNamespaceOf(
      pid,
      'ip link set "$1" name "$2" && ip addr add "$3/24" dev "$2" && ip link set "$2" up',
      [inside, device, address],
    );
    return { address, device };
  }

  /** Removes a bridge; its members' ends go with their namespaces. */
  async remove(id: number): Promise<void> {
    const bridge = this.get(id);
    this.bridges.delete(id);
    await runTool('ip', ['link', 'del', bridge.name]);
  }

  private get(id: number): Bridge {
    const bridge = this.bridges.get(id);
    if (bridge === undefined) throw notFound(`no bridge ${id} on this kernel`);
    return bridge;
  }
}
