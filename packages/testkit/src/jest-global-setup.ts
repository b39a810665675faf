import { randomUUID } from 'node:crypto';
import { processAlive } from './process-alive';
import { sweepContainers } from './sweep-containers';
import { testkitConfig, vmSeries, type TestkitConfig } from './testkit-config';
import { prepareVmArtifacts, sweepVms } from './vm-target';

const OWNER_CHECK_MS = 1_000;

/**
 * Jest globalSetup for scenario suites: names the run (workers inherit the environment, so every container they
 * start carries the run's labels) and sweeps what killed runs left behind.
 */
export default async function globalSetup(): Promise<void> {
  process.env.SOCKSPEC_RUN_ID ??= randomUUID();
  process.env.SOCKSPEC_OWNER_PID ??= String(process.pid);
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const config = testkitConfig();
  watchOwner(config);
  sweepVms({ stale: true });
  const series = vmSeries(config.target);
  if (series !== undefined) {
    // Once, before the specs start their targets side by side: the first run of a series downloads its kernel.
    process.stderr.write(`sockspec: preparing the kernel and initramfs of ${config.target}\n`);
    await prepareVmArtifacts(series, config.image, (line) => process.stderr.write(line));
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
