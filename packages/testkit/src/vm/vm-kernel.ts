import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import {
  AGENT_PORT,
  SUPERVISOR_PATHS,
  pathTo,
  type BridgeCreated,
  type BridgeMember,
  type KernelInfo,
  type NamespaceCreated,
  type NamespaceRequest,
} from '@sockspec/agent/protocol';
import { isBusyState, readProcessWork } from '@sockspec/inspector';
import { reportDir, vmConsoleFileOf } from '@sockspec/records';
import { AgentClient } from '../agent-client';
import { HARNESS_CEILING_MS, HarnessStall, ProgressWatch } from '../harness-stall';
import { processAlive } from '../process-alive';
import { testkitConfig, type Accelerator, type KernelHandle } from '../testkit-config';
import { chooseAccelerator } from './kvm-probe';
import { qemuArguments } from './qemu-command';
import { prepareVmArtifacts, vmPidDir } from './vm-artifacts';

/** Room for the root filesystem (in RAM) and a score of targets' agents side by side. */
const MEMORY_MB = 4096;
/** The most virtual CPUs a kernel gets: TCG runs one host thread per vCPU. */
const MAX_CPUS = 4;
const TCG_TIME_SCALE = 4;
/** The agents' sampling interval on the host's kernel (ms). */
const SAMPLE_MS = 10;
/** How long a booting VM's qemu may show no work before the boot counts as hung. */
const BOOT_IDLE_BUDGET_MS = 30_000;

/** How much slower than a container a target on a VM kernel runs: emulated (TCG) several times, with KVM the same. */
export function vmTimeScale(accelerator: Accelerator): number {
  return accelerator === 'kvm' ? 1 : TCG_TIME_SCALE;
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
 * One booted Debian kernel (qemu: KVM where a probe boot works, else TCG; see kvm-probe.ts) with its supervisor forwarded to 127.0.0.1. Its
 * targets are network namespaces, each with an agent of its own; bridges join them into two-host networks.
 */
export class VmKernel {
  private readonly supervisor: AgentClient;

  private constructor(readonly handle: KernelHandle) {
    this.supervisor = new AgentClient(
      handle.url,
      handle.token,
      async () =>
        processAlive(handle.pid)
          ? undefined
          : `the qemu of ${handle.release} (pid ${handle.pid}) is gone`,
      HARNESS_CEILING_MS * vmTimeScale(handle.accelerator),
    );
  }

  /** The kernel another process booted (the run's globalSetup). */
  static connect(handle: KernelHandle): VmKernel {
    return new VmKernel(handle);
  }

  /**
   * Boots a kernel of `series` for this run, its pid recorded for the sweeps. `log` gets progress lines (a first
   * download, an initramfs build). Answers once its supervisor answers.
   */
  static async boot(
    series: string,
    log: (line: string) => void = () => undefined,
  ): Promise<VmKernel> {
    const config = testkitConfig();
    const artifacts = await prepareVmArtifacts(series, config.image, log);
    const accelerator = await chooseAccelerator(config.kvm, artifacts.vmlinuz, log);
    const timeScale = vmTimeScale(accelerator);
    const token = randomBytes(24).toString('hex');
    const hostPort = await freePort();
    const args = qemuArguments({
      vmlinuz: artifacts.vmlinuz,
      initrd: artifacts.initrd,
      token,
      hostPort,
      agentPort: AGENT_PORT,
      kvm: accelerator === 'kvm',
      memoryMb: MEMORY_MB,
      cpus: Math.min(MAX_CPUS, cpus().length),
      environment: {
        // Emulated, a sample of the table costs several times what it does natively: fewer of them, as wide
        // apart as the rest of the target is slow.
        SOCKSPEC_SAMPLE_MS: String(SAMPLE_MS * timeScale),
        ...config.targetEnvironment,
      },
    });
    // Its own process group, so that Ctrl-C reaches the run and the run decides when its kernel goes.
    const qemu = spawn('qemu-system-x86_64', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let console = '';
    // The whole console also goes to the report folder, for what the kernel said later (an OOM kill, a panic).
    const consoleFile = join(reportDir(), vmConsoleFileOf(artifacts.version));
    mkdirSync(dirname(consoleFile), { recursive: true });
    writeFileSync(consoleFile, '');
    const keep = (chunk: Buffer): void => {
      console = (console + chunk.toString()).slice(-4096);
      try {
        appendFileSync(consoleFile, chunk);
      } catch {
        // the report folder went away (a bench's temporary one): the last 4 KB stay in memory
      }
    };
    qemu.stdout?.on('data', keep);
    qemu.stderr?.on('data', keep);
    // The kernel must not keep its booter alive: whoever booted it powers it off (stop, the teardown, a sweep).
    qemu.unref();
    for (const pipe of [qemu.stdout, qemu.stderr]) (pipe as unknown as Socket | null)?.unref();
    const pid = qemu.pid ?? -1;
    mkdirSync(vmPidDir(), { recursive: true });
    writeFileSync(
      join(vmPidDir(), `${pid}.json`),
      JSON.stringify({ pid, runId: config.runId, ownerPid: config.ownerPid }),
    );
    const kernel = new VmKernel({
      series,
      release: artifacts.version,
      url: `http://127.0.0.1:${hostPort}`,
      token,
      pid,
      accelerator,
    });
    // Booting is qemu's work: the wait goes on while qemu runs or queues for a CPU, up to the ceiling.
    const watch = new ProgressWatch();
    for (;;) {
      if (qemu.exitCode !== null) {
        kernel.stop();
        throw new Error(
          `qemu exited (${qemu.exitCode}) before its supervisor answered:\n${console}`,
        );
      }
      try {
        await kernel.info();
        return kernel;
      } catch {
        const work = readProcessWork(pid);
        if (work !== undefined) watch.observe(work.cpuMs + work.queuedMs, isBusyState(work.state));
        const stall = watch.verdict(
          `vm:${artifacts.version}: its supervisor answering after boot`,
          BOOT_IDLE_BUDGET_MS,
          config.startupCeilingMs * timeScale,
        );
        if (stall !== undefined) {
          kernel.stop();
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

  info(): Promise<KernelInfo> {
    return this.supervisor.get(SUPERVISOR_PATHS.kernel);
  }

  /** A new target on this kernel: a network namespace with its sysctls set and checked, and its agent. */
  createNamespace(request: NamespaceRequest): Promise<NamespaceCreated> {
    return this.supervisor.post(SUPERVISOR_PATHS.namespaces, request);
  }

  async removeNamespace(id: number): Promise<void> {
    await this.supervisor.delete(pathTo(SUPERVISOR_PATHS.namespace, id));
  }

  createBridge(): Promise<BridgeCreated> {
    return this.supervisor.post(SUPERVISOR_PATHS.bridges, {});
  }

  attach(bridge: number, namespace: number): Promise<BridgeMember> {
    return this.supervisor.post(pathTo(SUPERVISOR_PATHS.bridgeMembers, bridge), { namespace });
  }

  async removeBridge(id: number): Promise<void> {
    await this.supervisor.delete(pathTo(SUPERVISOR_PATHS.bridge, id));
  }

  /** Powers the kernel off: its qemu killed (every namespace and agent goes with it), its pid record removed. */
  stop(): void {
    try {
      process.kill(this.handle.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    rmSync(join(vmPidDir(), `${this.handle.pid}.json`), { force: true });
  }
}
