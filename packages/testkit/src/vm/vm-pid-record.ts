import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vmCacheDir } from './vm-artifacts';

/** What a booted kernel's qemu leaves behind for the sweeps: whose it is, so a dead run's kernel can be found. */
export interface VmPidRecord {
  /** The qemu process. */
  readonly pid: number;
  /** The run that booted it. */
  readonly runId: string;
  /** The process that owns that run; when it is gone, the kernel is stale. */
  readonly ownerPid: number;
}

/** Where the records are kept: one `<pid>.json` each, in .cache/vm/pids. */
export function vmPidDir(): string {
  return join(vmCacheDir(), 'pids');
}

const recordFile = (pid: number): string => join(vmPidDir(), `${pid}.json`);

export function writeVmPidRecord(record: VmPidRecord): void {
  mkdirSync(vmPidDir(), { recursive: true });
  writeFileSync(recordFile(record.pid), JSON.stringify(record));
}

export function removeVmPidRecord(pid: number): void {
  rmSync(recordFile(pid), { force: true });
}

/** Every record there is; one that cannot be read (being written, or damaged) is left out. */
export function readVmPidRecords(): VmPidRecord[] {
  let files: string[];
  try {
    files = readdirSync(vmPidDir());
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    try {
      const record = JSON.parse(readFileSync(join(vmPidDir(), file), 'utf8')) as VmPidRecord;
      return Number.isInteger(record.pid) ? [record] : [];
    } catch {
      return [];
    }
  });
}
