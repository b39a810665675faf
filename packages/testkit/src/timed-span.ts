import type { MeasurementTiming, TimedBy } from '@sockspec/records';
import { JIFFY_MS, type Interval } from './kernel-deadline';

/**
 * A duration between two moments each known to lie in an interval: at least `leastMs`, at most `mostMs`. It is
 * reported as their midpoint, give or take half their distance, with the clocks that dated its two ends.
 */
export interface TimedDuration {
  readonly leastMs: number;
  readonly mostMs: number;
  readonly valueMs: number;
  readonly uncertaintyMs: number;
  readonly by: readonly TimedBy[];
}

/** The duration from a moment in `from` to a moment in `to`. */
export function durationBetween(
  from: Interval,
  to: Interval,
  by: readonly TimedBy[],
): TimedDuration {
  const leastMs = to.earliest - from.latest;
  const mostMs = to.latest - from.earliest;
  return {
    leastMs,
    mostMs,
    valueMs: (leastMs + mostMs) / 2,
    uncertaintyMs: (mostMs - leastMs) / 2,
    by,
  };
}

/** A moment the kernel stamped itself (a captured segment's time): known to the microsecond. */
export function momentAt(time: number): Interval {
  return { earliest: time, latest: time };
}

/** How a duration was timed, for recordMeasurement's `timing` (uncertainty rounded up to a whole ms). */
export function timingOf(duration: TimedDuration): MeasurementTiming {
  return { by: duration.by, uncertaintyMs: Math.ceil(duration.uncertaintyMs) };
}

/**
 * A timer the kernel started on a segment: the segment's stamp in the capture, and the deadline the kernel set, as
 * procfs shows it.
 */
export interface KernelTimer {
  /** The capture's stamp of the segment that started the timer (epoch ms, the target's clock). */
  readonly entered: number;
  /** The end of the first read that showed the timer: the kernel had set it by then, however late that read came. */
  readonly timerSetBy: number;
  /** The kernel's deadline for the timer. */
  readonly deadline: Interval;
}

/**
 * A state of one socket timed by the kernel: it began with the segment that started its timer, the timer ends at the
 * deadline the kernel set, and the sampler saw the socket removed between the last sample still showing it and the
 * first no longer showing it.
 */
export interface KernelTimedState extends KernelTimer {
  /** [read start of the last sample showing the socket, read end of the first sample no longer showing it]. */
  readonly removed: Interval;
}

/** The timer's length: from the captured segment that started it to the kernel's deadline. */
export function timerLength(state: KernelTimer): TimedDuration {
  return durationBetween(momentAt(state.entered), state.deadline, ['capture', 'kernel-timer']);
}

/** How long after the kernel's deadline the socket was removed, as the sampler bracketed the removal. */
export function removalAfterDeadline(state: KernelTimedState): TimedDuration {
  return durationBetween(state.deadline, state.removed, ['kernel-timer', 'sampler']);
}

/** A kernel whose timer does not run as the claim says: the spec's finding, never the harness's. */
export class KernelTimingMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelTimingMismatch';
  }
}

const ms = (value: number): string => `${Math.round(value)} ms`;

/**
 * Holds a timer to the length the kernel's source gives it, by two checks a starved sampler cannot fail. The kernel
 * sets jiffies + length as the segment arrives (microseconds after the capture's stamp on loopback): the deadline
 * then lies up to a jiffy short of the length after the segment (jiffies lag the clock), so it must not lie earlier
 * than that; and the timer was set by the first read that showed it, so the deadline must not lie later than the
 * length after that read.
 */
export function assertTimerLength(state: KernelTimer, expectedMs: number, what: string): void {
  const length = timerLength(state);
  const shown = (): string =>
    `${what}: the kernel's timer ran ${ms(length.valueMs)} +- ${ms(length.uncertaintyMs)} from the segment that ` +
    `began it, not ${ms(expectedMs)}`;
  if (length.mostMs < expectedMs - JIFFY_MS) {
    throw new KernelTimingMismatch(`${shown()}: its deadline came too soon`);
  }
  if (state.deadline.earliest - state.timerSetBy > expectedMs) {
    throw new KernelTimingMismatch(
      `${shown()}: its deadline lies more than ${ms(expectedMs)} after a read ` +
        `${ms(state.timerSetBy - state.entered)} after the segment had already shown the timer`,
    );
  }
}

/**
 * Holds the removal to the deadline with two checks a starved sampler cannot fail, as each only gets easier the later
 * its samples come: the first sample no longer showing the socket ended at or after the deadline (it was not removed
 * early), and the last sample still showing it began no later than the deadline plus `lateMs`, how late the timer
 * wheel may run a timer of this length.
 */
export function assertRemoval(state: KernelTimedState, lateMs: number, what: string): void {
  if (state.removed.latest < state.deadline.earliest) {
    throw new KernelTimingMismatch(
      `${what}: removed before the kernel's deadline: a sample ${ms(state.deadline.earliest - state.removed.latest)} ` +
        'before the earliest the deadline can be no longer showed it',
    );
  }
  if (state.removed.earliest > state.deadline.latest + lateMs) {
    throw new KernelTimingMismatch(
      `${what}: still listed ${ms(state.removed.earliest - state.deadline.latest)} after the kernel's deadline, ` +
        `more than the ${ms(lateMs)} the timer wheel may add`,
    );
  }
}
