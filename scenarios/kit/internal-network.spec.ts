/**
 * The run's own network leads nowhere but to the run's own targets.             Claims: none (trust)
 *
 * Scenarios with two hosts put their targets on a TargetNetwork: for containers a Docker network made `Internal`
 * (no NAT; Docker's isolation rules on the host drop whatever would leave the bridge for another subnet), on a VM
 * kernel a bridge inside that kernel that holds no address of the kernel's own. This spec checks what can be
 * checked without sending a single packet out: the routing table of each target, read inside it through its agent
 * (`ip -j route`, lookups that send nothing), and for containers how Docker made the network. The only traffic is
 * between the two targets on the network.
 *
 * A container target keeps the default bridge for its agent's published port, and that bridge is not internal: its
 * default route goes there, never through the internal network. A namespace on a VM kernel has no default route at
 * all. A container on the internal network alone gets, from Docker 20.10, a default route to the network's own
 * gateway address, the host's end of the bridge; from there only Docker's isolation rules on the host (which this
 * spec cannot read unprivileged) keep it in.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { startTarget, TargetNetwork, type Target } from '@sockspec/testkit';
import { DockerNetwork, runLabels, testkitConfig } from '@sockspec/testkit/runner';

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

interface Output {
  readonly code: number | null;
  readonly stdout: string;
}

/** Runs a command in a target through its agent and answers its exit code and what it printed. */
async function runIn(target: Target, command: readonly string[]): Promise<Output> {
  const program = await target.run(command);
  const exit = await program.waitForExit();
  const stdout = program.events
    .filter((event) => event.event === 'output')
    .map((event) => String(event.text))
    .join('\n');
  return { code: exit.code, stdout: stdout === '' ? program.stderr : stdout };
}

/** `ip -j <args>` in the target, parsed. */
async function ipJson<T>(target: Target, args: readonly string[]): Promise<T> {
  const { code, stdout } = await runIn(target, ['ip', '-j', ...args]);
  if (code !== 0) throw new Error(`ip -j ${args.join(' ')}: exit ${code}: ${stdout}`);
  return JSON.parse(stdout) as T;
}

/** The name of the target's interface that holds an IPv4 address. */
async function deviceWith(target: Target, address: string): Promise<string> {
  const links = await ipJson<
    Array<{ ifname: string; addr_info: Array<{ family: string; local: string }> }>
  >(target, ['addr']);
  const link = links.find((l) =>
    l.addr_info.some((a) => a.family === 'inet' && a.local === address),
  );
  if (link === undefined) throw new Error(`no interface holds ${address}`);
  return link.ifname;
}

describe('the internal network of a run', () => {
  let network: TargetNetwork;
  let client: Target;
  let server: Target;

  beforeAll(async () => {
    network = await TargetNetwork.create();
    [client, server] = await Promise.all([startTarget({ network }), startTarget({ network })]);
  });

  afterAll(async () => {
    await client?.stop();
    await server?.stop();
    await network?.remove();
  });

  it('gives a target on it no route through it beyond its subnet, and none out through it', async () => {
    const internal = await deviceWith(client, client.networkAddress as string);
    const routes = await ipJson<Route[]>(client, ['route', 'show', 'table', 'all']);
    const throughInternal = routes.filter((route) => route.dev === internal);
    expect(throughInternal.length).toBeGreaterThan(0);
    for (const route of throughInternal) {
      expect(route.gateway).toBeUndefined();
      expect(route.dst).not.toBe('default');
    }
    // Unicast routes through it: its IPv4 subnet, and at most IPv6's link-local one, which never leaves the link.
    const unicast = throughInternal.filter((route) => route.type === undefined);
    expect(unicast.filter((route) => route.dst !== 'fe80::/64')).toEqual([
      expect.objectContaining({ dst: network.subnet, dev: internal }),
    ]);
    // A container's lookup leaves by the agent's bridge; a namespace on a VM kernel has no route out at all.
    const lookup = await runIn(client, ['ip', '-j', 'route', 'get', OUTSIDE]);
    if (lookup.code === 0) {
      const [route] = JSON.parse(lookup.stdout) as Route[];
      expect(route?.dev).toBeDefined();
      expect(route?.dev).not.toBe(internal);
    } else {
      expect(client.kind).toBe('vm');
      expect(lookup.stdout).toMatch(/Network is unreachable/);
    }
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
});

/** How Docker made the network: only container targets have one. */
const onContainers = testkitConfig().target === 'container' ? describe : describe.skip;

onContainers('the Docker network of a run', () => {
  const docker = new Docker();
  let network: DockerNetwork;
  let alone: string | undefined;

  beforeAll(async () => {
    network = await DockerNetwork.create();
  });

  afterAll(async () => {
    if (alone !== undefined)
      await docker
        .getContainer(alone)
        .remove({ force: true })
        .catch(() => undefined);
    await network?.remove();
  });

  /** Runs a command in a bare container through the Docker API; answers its exit code and output. */
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

  it('is an internal bridge network with the labels of its run', async () => {
    const inspected = await docker.getNetwork(network.id).inspect();
    expect(inspected).toMatchObject({ Driver: 'bridge', Internal: true });
    const { runId, ownerPid } = testkitConfig();
    expect(inspected.Labels).toEqual(runLabels(runId, ownerPid));
  });

  it("gives a container on it alone no route but into its subnet and to the network's own gateway on the host", async () => {
    const inspectedNetwork = await docker.getNetwork(network.id).inspect();
    const gateway = (inspectedNetwork.IPAM?.Config ?? [])[0]?.Gateway as string;
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

    const ip = async (args: readonly string[]): Promise<Route[]> => {
      const { code, stdout, stderr } = await exec(alone as string, ['ip', '-j', ...args]);
      if (code !== 0) throw new Error(`ip -j ${args.join(' ')}: exit ${code}: ${stderr}`);
      return JSON.parse(stdout) as Route[];
    };
    for (const route of await ip(['route', 'show', 'table', 'main'])) {
      if (route.gateway !== undefined) expect(route.gateway).toBe(gateway);
      else expect(route.dst).toBe(network.subnet);
    }
    expect(await ip(['-6', 'route', 'show', 'table', 'main'])).toEqual([]);
    const lookup = await exec(alone, ['ip', '-j', 'route', 'get', OUTSIDE]);
    if (lookup.code === 0) {
      expect(JSON.parse(lookup.stdout)).toEqual([expect.objectContaining({ gateway })]);
    } else {
      expect(lookup.stderr).toMatch(/Network is unreachable/);
    }
  });
});
