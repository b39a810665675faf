import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../process-alive';
import { VM_TOKEN_ARGUMENT } from './qemu-command';
import { vmPidDir } from './vm-artifacts';

/** Whether a pid is a VM kernel's qemu: its command line carries the kernel argument with the token. */
export function isVmProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${VM_TOKEN_ARGUMENT}=`);
  } catch {
    return false;
  }
}

/**
 * Kills the qemu processes of one run, or of runs whose owner died; the VM counterpart of sweepContainers. A
 * kernel's targets (namespaces, agents, programs) all live inside its qemu and go with it.
 */
export function sweepVms(selection: { runId?: string; stale?: boolean }): number {
  let killed = 0;
  let files: string[];
  try {
    files = readdirSync(vmPidDir());
  } catch {
    return 0;
  }
  for (const file of files) {
    const path = join(vmPidDir(), file);
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
