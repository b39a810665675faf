import { randomUUID } from 'node:crypto';
import { clearRunRecords, forgetDeadTargets, reportDir } from '@sockspec/records';
import { ensureTargetImage } from './image/target-image';
import { processAlive } from './process-alive';
import { sweepContainers } from './sweep-containers';
import { testkitConfig, vmSeries, type TestkitConfig } from './testkit-config';
import { sweepVms } from './vm/sweep-vms';
import { VmKernel } from './vm/vm-kernel';

const OWNER_CHECK_MS = 1_000;

/**
 * Jest globalSetup for scenario suites: clears what an earlier run left in the report folder, names the run (workers inherit the environment, so every container they
 * start carries the run's labels), sweeps what killed runs left behind, and makes sure the target image is built
 * from the packages installed (it says so only when it builds).
 */
export default async function globalSetup(): Promise<void> {
  clearRunRecords(reportDir());
  process.env.SOCKSPEC_RUN_ID ??= randomUUID();
  process.env.SOCKSPEC_OWNER_PID ??= String(process.pid);
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const config = testkitConfig();
  watchOwner(config);
  sweepVms({ stale: true });
  forgetDeadTargets(processAlive);
  await ensureTargetImage({
    log: (line) => {
      if (!line.startsWith('target image up to date')) process.stderr.write(`sockspec: ${line}\n`);
    },
  });
  const series = vmSeries(config.target);
  if (series !== undefined && config.vmKernel?.series !== series) {
    // One kernel for the whole run, booted before the specs start: their targets are namespaces on it. Workers
    // inherit the environment, so they find it; the teardown (or a sweep) powers it off.
    process.stderr.write(`sockspec: booting the kernel of ${config.target}\n`);
    const kernel = await VmKernel.boot(series, (line) => process.stderr.write(line));
    process.env.SOCKSPEC_VM_KERNEL = JSON.stringify(kernel.handle);
    process.stderr.write(`sockspec: ${kernel.handle.release} is up\n`);
  }
  const swept = await sweepContainers({ stale: true });
  if (swept.containers.length + swept.networks.length > 0) {
    console.log(
      `sockspec: removed ${swept.containers.length} container(s) and ${swept.networks.length} network(s) left by runs that died`,
    );
  }
}

/**
 * A run started by another process (`sockspec run`) ends itself when that process dies without a word (SIGKILL):
 * it removes what it made and exits, instead of going on as an orphan nobody watches.
 */
function watchOwner({ ownerPid, runId }: TestkitConfig): void {
  if (!Number.isInteger(ownerPid) || ownerPid === process.pid) return;
  const timer = setInterval(() => {
    if (processAlive(ownerPid)) return;
    clearInterval(timer);
    process.stderr.write(
      `sockspec: the run's owner (pid ${ownerPid}) is gone; removing this run's targets\n`,
    );
    sweepVms({ runId });
    void sweepContainers({ runId }).finally(() => process.exit(130));
  }, OWNER_CHECK_MS);
  timer.unref();
}
