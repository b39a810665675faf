/**
 * setNamespaceSysctls against this machine's kernel: a network namespace made with `unshare --net` stands in for
 * a target's (creating one needs root, which the test machines have; elsewhere these tests say so and fail).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { setNamespaceSysctls } from './namespace-sysctls';

const FIN_TIMEOUT = '/proc/sys/net/ipv4/tcp_fin_timeout';

let holder: ChildProcess;

/** The namespace's own value of a sysctl, read inside it with nsenter. */
function valueIn(pid: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', ['--target', String(pid), '--net', '--', 'cat', path]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out.trim()));
  });
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('these tests need root (unshare --net)');
  holder = spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' });
  // unshare execs sleep once the namespace exists; wait until the pid's namespace differs from ours.
  const ours = readlinkSync('/proc/self/ns/net');
  for (let i = 0; i < 100; i += 1) {
    try {
      if (readlinkSync(`/proc/${holder.pid}/ns/net`) !== ours) return;
    } catch {
      // not started yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('unshare --net did not start');
});

afterAll(() => {
  holder?.kill('SIGKILL');
});

describe('setNamespaceSysctls', () => {
  it("sets a per-namespace sysctl in the namespace alone, leaving the kernel's first namespace as it was", async () => {
    const before = readFileSync(FIN_TIMEOUT, 'utf8').trim();
    const wanted = before === '17' ? '19' : '17';
    const result = await setNamespaceSysctls(
      holder.pid as number,
      { 'net.ipv4.tcp_fin_timeout': wanted },
      {},
    );
    expect(result).toEqual({ applied: { 'net.ipv4.tcp_fin_timeout': wanted }, skipped: [] });
    expect(await valueIn(holder.pid as number, FIN_TIMEOUT)).toBe(wanted);
    expect(readFileSync(FIN_TIMEOUT, 'utf8').trim()).toBe(before);
  });

  it('skips an optional sysctl the namespace lacks, and refuses a required one naming why', async () => {
    // net.ipv4.tcp_mem exists only in the first namespace on the kernels sockspec runs on.
    const optional = await setNamespaceSysctls(
      holder.pid as number,
      {},
      { 'net.ipv4.tcp_mem': '1 2 3' },
    );
    expect(optional).toEqual({ applied: {}, skipped: ['net.ipv4.tcp_mem'] });
    await expect(
      setNamespaceSysctls(holder.pid as number, { 'net.ipv4.tcp_mem': '1 2 3' }, {}),
    ).rejects.toMatchObject({
      status: 422,
      code: 'sysctl-not-per-namespace',
      message: expect.stringMatching(
        /net\.ipv4\.tcp_mem exists only in the first network namespace/,
      ),
    });
  });

  it('says a sysctl the kernel does not have at all is missing, and refuses names outside net.*', async () => {
    await expect(
      setNamespaceSysctls(holder.pid as number, { 'net.ipv4.no_such_thing': '1' }, {}),
    ).rejects.toMatchObject({ status: 422, code: 'sysctl-missing' });
    await expect(
      setNamespaceSysctls(holder.pid as number, { 'kernel.pid_max': '1' }, {}),
    ).rejects.toMatchObject({ status: 400 });
  });
});
