import { readFileSync } from 'node:fs';
import { processAlive } from '../process-alive';
import { VM_TOKEN_ARGUMENT } from './qemu-command';
import { readVmPidRecords, removeVmPidRecord } from './vm-pid-record';

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
  for (const { pid, runId, ownerPid } of readVmPidRecords()) {
    if (runId !== selection.runId && !(selection.stale === true && !processAlive(ownerPid)))
      continue;
    // A record can outlive its qemu, and its pid can be another process's by now: kill only our qemu.
    if (isVmProcess(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        // already gone
      }
    }
    removeVmPidRecord(pid);
  }
  return killed;
}

/**
 * The qemu processes still running that a run's owner booted: a pid counts only while its command line is still a
 * VM kernel's (a pid can be reused once the qemu is gone).
 */
export function runningVms(ownerPid: number): number[] {
  return readVmPidRecords()
    .filter((record) => record.ownerPid === ownerPid && isVmProcess(record.pid))
    .map((record) => record.pid);
}
