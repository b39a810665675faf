import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { isBusyState, readProcessWork } from '@sockspec/inspector';
import { AgentClient } from '../agent-client';
import { AgentTarget } from '../agent-target';
import { HARNESS_CEILING_MS, HarnessStall, ProgressWatch } from '../harness-stall';
import type { TargetOptions } from '../target-options';
import { processAlive } from '../process-alive';
import { qemuArguments, VM_TOKEN_ARGUMENT } from './qemu-command';
import { ensureInitramfs, ensureKernel, vmCacheDir, type VmArtifacts } from './vm-artifacts';
import { VM_INIT } from './vm-init';
import { testkitConfig } from '../testkit-config';

const AGENT_PORT = 7070;
const MEMORY_MB = 1536;
const TCG_TIME_SCALE = 4;
/** How long a booting VM's qemu may show no work before the boot counts as hung. */
const BOOT_IDLE_BUDGET_MS = 30_000;

/** How much slower than a container a VM target runs: emulated (TCG) several times, with KVM about the same. */
function vmTimeScale(): number {
  return testkitConfig().kvm ? 1 : TCG_TIME_SCALE;
}

/** A scenario asked a target for something this kind of target cannot give (a second host, for one). */
export class TargetUnsupported extends Error {
  constructor(
    readonly kind: string,
    readonly feature: string,
  ) {
    super(`a ${kind} target cannot provide ${feature}`);
    this.name = 'TargetUnsupported';
  }
}

function pidDir(): string {
  return join(vmCacheDir(), 'pids');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

/**
 * The kernel and initramfs a VM target of this series boots, fetched and built once and kept in .cache/vm.
 * `onProgress` gets progress lines (a first download, an initramfs build).
 */
export async function prepareVmArtifacts(
  series: string,
  image: string,
  onProgress: (line: string) => void = () => undefined,
): Promise<VmArtifacts> {
  const log = (line: string): void => onProgress(`[vm] ${line}\n`);
  const kernel = await ensureKernel(series, log);
  const initrd = await ensureInitramfs(kernel, image, VM_INIT, log);
  return { series, version: kernel.version, vmlinuz: kernel.vmlinuz, initrd };
}

/**
 * A target that is a whole Linux kernel of its own: a Debian cloud kernel booted by qemu (TCG unless
 * SOCKSPEC_KVM=1) with an initramfs made from the target image, its agent forwarded to 127.0.0.1.
 */
export class VmTarget extends AgentTarget {
  readonly kind = 'vm' as const;
  /** A VM target is on no network of the run's. */
  readonly networkAddress: string | undefined = undefined;
  /** Under TCG every instruction is emulated: programs start and answer several times slower than in a container. */
  protected override readonly timeScale = vmTimeScale();
  private stopped = false;

  private constructor(
    agent: AgentClient,
    readonly name: string,
    private readonly qemu: ChildProcess,
    private readonly pidFile: string,
  ) {
    super(agent);
  }

  static async start(series: string, options: TargetOptions = {}): Promise<VmTarget> {
    if (options.network !== undefined)
      throw new TargetUnsupported('vm', 'a second host on a shared network');
    const config = testkitConfig();
    const artifacts = await prepareVmArtifacts(series, options.image ?? config.image);
    const token = randomBytes(24).toString('hex');
    const hostPort = await freePort();
    const args = qemuArguments({
      vmlinuz: artifacts.vmlinuz,
      initrd: artifacts.initrd,
      token,
      hostPort,
      agentPort: AGENT_PORT,
      sysctls: { ...options.sysctlsIfPresent, ...options.sysctls },
      kvm: config.kvm,
      memoryMb: MEMORY_MB,
    });
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let console = '';
    const keep = (chunk: Buffer): void => {
      console = (console + chunk.toString()).slice(-4096);
    };
    qemu.stdout?.on('data', keep);
    qemu.stderr?.on('data', keep);
    mkdirSync(pidDir(), { recursive: true });
    const pidFile = join(pidDir(), `${qemu.pid}.json`);
    writeFileSync(
      pidFile,
      JSON.stringify({ pid: qemu.pid, runId: config.runId, ownerPid: config.ownerPid }),
    );
    const scale = vmTimeScale();
    const agent = new AgentClient(
      `http://127.0.0.1:${hostPort}`,
      token,
      undefined,
      HARNESS_CEILING_MS * scale,
    );
    const target = new VmTarget(agent, `vm:${artifacts.version}`, qemu, pidFile);
    target.requestedSysctls = { ...options.sysctlsIfPresent, ...options.sysctls };
    // Booting is qemu's work: the wait goes on while qemu runs or queues for a CPU, up to the ceiling.
    const watch = new ProgressWatch();
    for (;;) {
      if (qemu.exitCode !== null) {
        rmSync(pidFile, { force: true });
        throw new Error(`qemu exited (${qemu.exitCode}) before the agent answered:\n${console}`);
      }
      try {
        await target.info();
        target.announce(token);
        return target;
      } catch {
        const work = qemu.pid === undefined ? undefined : readProcessWork(qemu.pid);
        if (work !== undefined) watch.observe(work.cpuMs + work.queuedMs, isBusyState(work.state));
        const stall = watch.verdict(
          `${target.name}: its agent answering after boot`,
          BOOT_IDLE_BUDGET_MS,
          config.startupCeilingMs * scale,
        );
        if (stall !== undefined) {
          await target.stop();
          throw new HarnessStall(
            stall.step,
            stall.waitedMs,
            `${stall.reason}. The console:\n${console}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.qemu.exitCode === null) await this.recordTimeline(AGENT_PORT);
    this.qemu.kill('SIGKILL');
    rmSync(this.pidFile, { force: true });
  }
}

/** Whether a pid is a VM target's qemu: its command line carries the kernel argument with the target's token. */
function isVmProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${VM_TOKEN_ARGUMENT}=`);
  } catch {
    return false;
  }
}

/** Kills the qemu processes of one run, or of runs whose owner died; the VM counterpart of sweepContainers. */
export function sweepVms(selection: { runId?: string; stale?: boolean }): number {
  let killed = 0;
  let files: string[];
  try {
    files = readdirSync(pidDir());
  } catch {
    return 0;
  }
  for (const file of files) {
    const path = join(pidDir(), file);
    try {
      const { pid, runId, ownerPid } = JSON.parse(readFileSync(path, 'utf8')) as {
        pid: number;
        runId: string;
        ownerPid: number;
      };
      if (runId === selection.runId || (selection.stale === true && !processAlive(ownerPid))) {
        // A record can outlive its qemu, and its pid can be another process's by now: kill only our qemu.
        if (isVmProcess(pid)) {
          try {
            process.kill(pid, 'SIGKILL');
            killed += 1;
          } catch {
            // already gone
          }
        }
        rmSync(path, { force: true });
      }
    } catch {
      rmSync(path, { force: true });
    }
  }
  return killed;
}
