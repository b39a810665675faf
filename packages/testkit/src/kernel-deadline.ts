/**
 * The kernel's deadline for a socket's timer, from what procfs shows of it. A reading of /proc/net/tcp shows the
 * time left (`tm->when`), and the table was read between `start` and `end`: the deadline is that time left after
 * some moment of the read. No scheduler can move it, so one reading taken at any time during the state dates the
 * deadline to within the read's own length plus procfs's rounding, however starved the reader was before it.
 */

/** A moment known to lie between two times (epoch ms, the target's clock). */
export interface Interval {
  readonly earliest: number;
  readonly latest: number;
}

/** One reading of a socket's timer: the time left as procfs printed it, and when the read of the table ran. */
export interface TimerReading {
  /** When the read began and ended (epoch ms, the target's clock). */
  readonly start: number;
  readonly end: number;
  readonly remainingMs: number;
}

/** procfs prints the time left in USER_HZ ticks (10 ms), truncated: the true time left is up to a tick more. */
export const PROCFS_TICK_MS = 10;

/**
 * The kernel counts timers in jiffies, which step once a tick: 10 ms at the coarsest HZ (100). jiffies lags the
 * clock by up to a jiffy, so a deadline computed from them can fall up to a jiffy before the time left suggests.
 */
export const JIFFY_MS = 10;

/** Where the deadline lies by one reading: [read start + time left - a jiffy, read end + time left + a tick]. */
export function deadlineOf(reading: TimerReading): Interval {
  return {
    earliest: reading.start + reading.remainingMs - JIFFY_MS,
    latest: reading.end + reading.remainingMs + PROCFS_TICK_MS,
  };
}

/** What every interval allows; undefined when they share no moment. */
export function intersect(intervals: readonly Interval[]): Interval | undefined {
  if (intervals.length === 0) return undefined;
  const earliest = Math.max(...intervals.map((interval) => interval.earliest));
  const latest = Math.min(...intervals.map((interval) => interval.latest));
  return earliest <= latest ? { earliest, latest } : undefined;
}

export function widthOf(interval: Interval): number {
  return interval.latest - interval.earliest;
}

/**
 * The deadline all readings of one timer allow: each reading's interval, intersected, so a reading the scheduler
 * stretched is narrowed by the others. Readings that share no moment were of different timers (the kernel started
 * it over between them): an error, since the caller promised one timer.
 */
export function kernelDeadline(readings: readonly TimerReading[]): Interval {
  if (readings.length === 0) throw new Error('no reading of the timer to date its deadline by');
  const deadline = intersect(readings.map(deadlineOf));
  if (deadline === undefined) {
    throw new Error(
      `the readings of one timer disagree on its deadline (it was started over between them): ` +
        JSON.stringify(readings),
    );
  }
  return deadline;
}

/**
 * Splits readings in time order into runs of one timer each: a reading whose deadline the run so far cannot allow
 * starts a new run, as happens when the kernel starts the timer over (a retransmitted FIN in TIME_WAIT).
 */
export function timerRuns(readings: readonly TimerReading[]): TimerReading[][] {
  const runs: TimerReading[][] = [];
  let current: TimerReading[] = [];
  let allowed: Interval | undefined;
  for (const reading of readings) {
    const together: Interval | undefined =
      allowed === undefined ? deadlineOf(reading) : intersect([allowed, deadlineOf(reading)]);
    if (together === undefined) {
      runs.push(current);
      current = [reading];
      allowed = deadlineOf(reading);
    } else {
      current.push(reading);
      allowed = together;
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}
