/**
 * The harness itself, held to what it promises.                                  Claims: none (trust)
 *
 * A container target runs the agent, which owns sockets and processes in it. That is a remote-control port on the
 * developer's machine, so it must be locked down: a per-target token, published on 127.0.0.1 only, never
 * privileged, every capability dropped but those a scenario asks for. And it must leave nothing behind.
 * These checks are about container targets, so they start containers whatever SOCKSPEC_TARGET says.
 */
import Docker from 'dockerode';
import { AgentClient, AgentRequestError, ContainerTarget } from '@sockspec/testkit/runner';

const docker = new Docker();

describe('a container target', () => {
  let target: ContainerTarget;

  beforeAll(async () => {
    target = await ContainerTarget.start({ sysctls: { 'net.ipv4.tcp_fin_timeout': 7 } });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('answers its agent only with its own token', async () => {
    expect((await target.info()).kernel).toMatch(/^\d+\.\d+/);
    const stranger = new AgentClient(target.agent.baseUrl, 'not-the-token-0000000000000000');
    await expect(stranger.get('/v1/info')).rejects.toMatchObject({ status: 401 });
  });

  it('publishes the agent port on 127.0.0.1 only', async () => {
    const inspected = await docker.getContainer(target.containerId).inspect();
    const bindings = Object.values(inspected.HostConfig.PortBindings ?? {}).flat() as Array<{
      HostIp: string;
    }>;
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.map((binding) => binding.HostIp)).toEqual(bindings.map(() => '127.0.0.1'));
    expect(target.agent.baseUrl.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('runs unprivileged with every capability dropped', async () => {
    const inspected = await docker.getContainer(target.containerId).inspect();
    expect(inspected.HostConfig.Privileged).toBe(false);
    expect(inspected.HostConfig.CapDrop).toEqual(['ALL']);
    expect(inspected.HostConfig.CapAdd ?? []).toEqual([]);
  });

  it('cannot drop segments without NET_ADMIN: the agent answers 403 EPERM', async () => {
    const refused = await target.dropSegments({ segments: 'fin' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AgentRequestError);
    expect(refused).toMatchObject({ status: 403, code: 'EPERM' });
  });

  it("applies the target's own net.* sysctls in its namespace", async () => {
    expect(await target.sysctl('net.ipv4.tcp_fin_timeout')).toBe('7');
  });

  it('is removed by stop()', async () => {
    const id = target.containerId;
    await target.stop();
    await expect(docker.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('a target that asks for NET_ADMIN', () => {
  it('gets that capability alone, and can drop segments', async () => {
    await using target = await ContainerTarget.start({ capabilities: ['NET_ADMIN'] });
    const inspected = await docker.getContainer(target.containerId).inspect();
    expect(inspected.HostConfig.CapAdd).toEqual(['NET_ADMIN']);
    const rule = await target.dropSegments({ destinationPort: 9, segments: 'fin' });
    expect(await target.dropRules()).toEqual([{ ...rule, dropped: 0 }]);
    await target.removeDropRule(rule.handle);
  });
});
