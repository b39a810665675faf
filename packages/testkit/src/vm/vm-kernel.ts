import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
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
import { startQemu, type QemuProcess } from './qemu-process';
import { ensureKernel, prepareVmArtifacts } from './vm-artifacts';
import { removeVmPidRecord, writeVmPidRecord } from './vm-pid-record';

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
    // The probe needs only the kernel: a machine where KVM fails says so before an initramfs is built.
    const { vmlinuz } = await ensureKernel(series, (line) => log(`[vm] ${line}\n`));
    const accelerator = await chooseAccelerator(config.kvm, vmlinuz, log);
    const artifacts = await prepareVmArtifacts(series, config.image, log);
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
    const qemu = startQemu(args, join(reportDir(), vmConsoleFileOf(artifacts.version)));
    writeVmPidRecord({ pid: qemu.pid, runId: config.runId, ownerPid: config.ownerPid });
    const kernel = new VmKernel({
      series,
      release: artifacts.version,
      url: `http://127.0.0.1:${hostPort}`,
      token,
      pid: qemu.pid,
      accelerator,
    });
    try {
      await kernel.waitUntilUp(qemu, config.startupCeilingMs * timeScale);
    } catch (error) {
      kernel.stop();
      throw error;
    }
    return kernel;
  }

  /** Waits for the supervisor to answer: booting is qemu's work, so the wait goes on while qemu runs or queues. */
  private async waitUntilUp(qemu: QemuProcess, ceilingMs: number): Promise<void> {
    const watch = new ProgressWatch();
    for (;;) {
      const exitCode = qemu.exitCode();
      if (exitCode !== null) {
        throw new Error(
          `qemu exited (${exitCode}) before its supervisor answered:\n${qemu.consoleTail()}`,
        );
      }
      try {
        await this.info();
        return;
      } catch {
        const work = readProcessWork(qemu.pid);
        if (work !== undefined) watch.observe(work.cpuMs + work.queuedMs, isBusyState(work.state));
        const stall = watch.verdict(
          `vm:${this.handle.release}: its supervisor answering after boot`,
          BOOT_IDLE_BUDGET_MS,
          ceilingMs,
        );
        if (stall !== undefined) {
          throw new HarnessStall(
            stall.step,
            stall.waitedMs,
            `${stall.reason}. The console:\n${qemu.consoleTail()}`,
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
    removeVmPidRecord(this.handle.pid);
  }
}
