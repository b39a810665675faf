import { readFileSync } from 'node:fs';

/** How much a process has run and waited to run so far, and what it does now: the way to tell slow from stuck. */
export interface ProcessWork {
  /** Time on a CPU, ms (cumulative). */
  readonly cpuMs: number;
  /** Time runnable but waiting for a CPU, ms (cumulative); 0 where the kernel does not count it. */
  readonly queuedMs: number;
  /** The scheduler state letter: R running, S sleeping, D waiting for a disk, Z exited, ... */
  readonly state: string;
}

/** Whether the state letter means the process is moving: on a CPU or in line for one, or waiting for a disk. */
export function isBusyState(state: string): boolean {
  return state === 'R' || state === 'D';
}

/** /proc/PID/schedstat: `<ns on cpu> <ns waiting in the run queue> <timeslices>`. Pure; undefined if malformed. */
export function parseSchedstat(text: string): { cpuMs: number; queuedMs: number } | undefined {
  const [cpu, queued] = text.trim().split(/\s+/).map(Number);
  if (
    cpu === undefined ||
    queued === undefined ||
    !Number.isFinite(cpu) ||
    !Number.isFinite(queued)
  )
    return undefined;
  return { cpuMs: cpu / 1e6, queuedMs: queued / 1e6 };
}

/** /proc/PID/stat: the state letter and utime + stime in ms. The name in parentheses may hold spaces. Pure. */
export function parseProcStat(text: string): { state: string; cpuMs: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  // After the name: state (field 3), ..., utime (14), stime (15), in USER_HZ ticks of 10 ms.
  const [state, utime, stime] = [fields[0], Number(fields[11]), Number(fields[12])];
  if (state === undefined || !Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { state, cpuMs: (utime + stime) * 10 };
}

/** A process's work so far, read from procfs; undefined once it is gone (or not visible from here). */
export function readProcessWork(pid: number, procRoot = '/proc'): ProcessWork | undefined {
  try {
    const stat = parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
    if (stat === undefined) return undefined;
    let schedstat: ReturnType<typeof parseSchedstat>;
    try {
      schedstat = parseSchedstat(readFileSync(`${procRoot}/${pid}/schedstat`, 'utf8'));
    } catch {
      schedstat = undefined; // a kernel without sched_info: CPU time from stat alone
    }
    return {
      cpuMs: schedstat?.cpuMs ?? stat.cpuMs,
      queuedMs: schedstat?.queuedMs ?? 0,
      state: stat.state,
    };
  } catch {
    return undefined;
  }
}

/** The 1-minute load average, from /proc/loadavg; undefined where it cannot be read. */
export function readLoadAverage(procRoot = '/proc'): readonly [number, number, number] | undefined {
  try {
    const [one, five, fifteen] = readFileSync(`${procRoot}/loadavg`, 'utf8').split(' ').map(Number);
    if (one === undefined || five === undefined || fifteen === undefined) return undefined;
    return [one, five, fifteen];
  } catch {
    return undefined;
  }
}
