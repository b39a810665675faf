/**
 * The run's own network leads nowhere but to the run's own targets.             Claims: none (trust)
 *
 * Scenarios with two hosts put their targets on a TargetNetwork, a Docker network made `Internal`: Docker gives it
 * no way out (no NAT, and its isolation rules on the host drop whatever would leave the bridge for another
 * subnet). This spec checks what can be checked without sending a single packet out: how Docker made the network,
 * and the routing table of the kernels on it, read inside them (`ip route`, a lookup that sends nothing). The
 * agent offers no way to read routes, so they are read with `docker exec`. The only traffic is between the two
 * targets on the network.
 *
 * A target keeps the default bridge for its agent's published port, and that bridge is not internal: its default
 * route goes there, never through the internal network. A container on the internal network alone gets, from
 * Docker 20.10, a default route to the network's own gateway address, the host's end of the bridge; from there
 * only Docker's isolation rules on the host (which this spec cannot read unprivileged) keep it in.
 * These checks are about container targets, so they start containers whatever SOCKSPEC_TARGET says.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { TargetNetwork } from '@sockspec/testkit';
import { ContainerTarget, runLabels, testkitConfig } from '@sockspec/testkit/runner';

const docker = new Docker();
/** An address outside every network here (TEST-NET-2, RFC 5737); only ever looked up, never sent to. */
const OUTSIDE = '198.51.100.7';
const PORT = 8020;

interface Route {
  readonly dst: string;
  readonly dev?: string;
  readonly gateway?: string;
  readonly type?: string;
  readonly table?: string;
}

/** Runs a command in a container through the Docker API; answers its exit code and output. */
async function exec(
  containerId: string,
  cmd: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = await docker
    .getContainer(containerId)
    .exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
  const stream = await run.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  docker.modem.demuxStream(stream, stdout, stderr);
  await new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await run.inspect();
  return { code: ExitCode ?? -1, stdout: out, stderr: err };
}

/** `ip -j <args>` in the container, parsed. */
async function ipJson<T>(containerId: string, args: readonly string[]): Promise<T> {
  const { code, stdout, stderr } = await exec(containerId, ['ip', '-j', ...args]);
  if (code !== 0) throw new Error(`ip -j ${args.join(' ')}: exit ${code}: ${stderr}`);
  return JSON.parse(stdout) as T;
}

/** The name of the container's interface that holds an IPv4 address. */
async function deviceWith(containerId: string, address: string): Promise<string> {
  const links = await ipJson<
    Array<{ ifname: string; addr_info: Array<{ family: string; local: string }> }>
  >(containerId, ['addr']);
  const link = links.find((l) =>
    l.addr_info.some((a) => a.family === 'inet' && a.local === address),
  );
  if (link === undefined) throw new Error(`no interface holds ${address}`);
  return link.ifname;
}

describe('the internal network of a run', () => {
  let network: TargetNetwork;
  let client: ContainerTarget;
  let server: ContainerTarget;
  let subnet: string;
  let gateway: string;
  let alone: string | undefined;

  beforeAll(async () => {
    network = await TargetNetwork.create();
    [client, server] = await Promise.all([
      ContainerTarget.start({ network }),
      ContainerTarget.start({ network }),
    ]);
    const inspected = await docker.getNetwork(network.id).inspect();
    const ipam = (inspected.IPAM?.Config ?? [])[0] as { Subnet: string; Gateway: string };
    subnet = ipam.Subnet;
    gateway = ipam.Gateway;
  });

  afterAll(async () => {
    if (alone !== undefined)
      await docker
        .getContainer(alone)
        .remove({ force: true })
        .catch(() => undefined);
    await client?.stop();
    await server?.stop();
    await network?.remove();
  });

  it('is an internal bridge network with the labels of its run', async () => {
    const inspected = await docker.getNetwork(network.id).inspect();
    expect(inspected).toMatchObject({ Driver: 'bridge', Internal: true });
    const { runId, ownerPid } = testkitConfig();
    expect(inspected.Labels).toEqual(runLabels(runId, ownerPid));
  });

  it("gives a target on it no route through it beyond its subnet: the default route stays on the agent's bridge", async () => {
    const address = client.networkAddress as string;
    const internal = await deviceWith(client.containerId, address);
    const routes = await ipJson<Route[]>(client.containerId, ['route', 'show', 'table', 'all']);
    const throughInternal = routes.filter((route) => route.dev === internal);
    expect(throughInternal.length).toBeGreaterThan(0);
    for (const route of throughInternal) {
      expect(route.gateway).toBeUndefined();
      expect(route.dst).not.toBe('default');
    }
    expect(throughInternal.filter((route) => route.type === undefined)).toEqual([
      expect.objectContaining({ dst: subnet, dev: internal }),
    ]);
    const [lookup] = await ipJson<Route[]>(client.containerId, ['route', 'get', OUTSIDE]);
    expect(lookup?.dev).toBeDefined();
    expect(lookup?.dev).not.toBe(internal);
  });

  it('carries a connection from one target to another', async () => {
    const listener = await server.socket();
    await listener.bind(server.networkAddress as string, PORT);
    await listener.listen(1);
    const socket = await client.socket();
    await socket.connect(server.networkAddress as string, PORT);
    expect(await socket.settle(5_000)).toBe('connected');
    await socket.close();
    await listener.close();
  });

  it("gives a container on it alone no route but into its subnet and to the network's own gateway on the host", async () => {
    const created = await docker.createContainer({
      Image: testkitConfig().image,
      Env: [`SOCKSPEC_AGENT_TOKEN=${randomBytes(24).toString('hex')}`],
      Labels: runLabels(testkitConfig().runId, testkitConfig().ownerPid),
      HostConfig: { NetworkMode: network.name, CapDrop: ['ALL'] },
    });
    alone = created.id;
    await created.start();
    const inspected = await created.inspect();
    expect(Object.keys(inspected.NetworkSettings.Networks)).toEqual([network.name]);

    const routes = await ipJson<Route[]>(alone, ['route', 'show', 'table', 'main']);
    for (const route of routes) {
      if (route.gateway !== undefined) expect(route.gateway).toBe(gateway);
      else expect(route.dst).toBe(subnet);
    }
    expect(await ipJson<Route[]>(alone, ['-6', 'route', 'show', 'table', 'main'])).toEqual([]);
    const lookup = await exec(alone, ['ip', '-j', 'route', 'get', OUTSIDE]);
    if (lookup.code === 0) {
      expect(JSON.parse(lookup.stdout)).toEqual([expect.objectContaining({ gateway })]);
    } else {
      expect(lookup.stderr).toMatch(/Network is unreachable/);
    }
  });
});
