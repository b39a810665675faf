import { loadavg } from 'node:os';

/**
 * The most any single harness step (a target's start, an agent call, a program's event) may take while it still
 * moves, on a container target; slower kinds of target stretch it. Jest's own time limit per test lies above it, so
 * a step that hangs fails with a HarnessStall that names it.
 */
export const HARNESS_CEILING_MS = 120_000;

/**
 * A step of the test harness that did not complete: a program that never printed, an agent that never answered, a
 * target that never started. It names the step, how long it was waited for and the machine's load: it is the
 * harness or the machine, never a statement about the kernel under test.
 */
export class HarnessStall extends Error {
  constructor(
    /** What was waited for, e.g. `sockspec-server 8080 127.0.0.1: its first 'listening' event`. */
    readonly step: string,
    readonly waitedMs: number,
    /** Why the wait ended: how long nothing moved, or that the ceiling was reached while it still moved. */
    readonly reason: string,
    readonly loadAverage: readonly number[] = loadavg(),
  ) {
    super(
      `harness: ${step} did not happen: waited ${seconds(waitedMs)}, ${reason}; load average ` +
        `${loadAverage.map((value) => value.toFixed(2)).join(' ')}. This is the test harness or the machine ` +
        'running it, not the kernel under test.',
    );
    this.name = 'HarnessStall';
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Work counted below this per reading is noise (the agent waking to answer): it is no progress. */
const NOISE_MS = 5;

/**
 * Tells a slow step from a hung one by the work of the processes behind it: cumulative ms they ran or queued for a
 * CPU, and whether one is busy right now. A step that keeps moving may take long; one that shows no work for its
 * budget is hung.
 */
export class ProgressWatch {
  private lastWork: number;
  private lastProgress: number;

  /**
   * `startWork` is the work already counted when the wait begins: the last reading of an earlier wait, or 0 for
   * processes started for this step, all of whose work is then progress.
   */
  constructor(
    readonly started = Date.now(),
    startWork = 0,
  ) {
    this.lastProgress = started;
    this.lastWork = startWork;
  }

  /**
   * Notes a reading: cumulative work in ms, and whether a process is running or waiting for a disk at this instant
   * (a single instant can miss a busy process; the growing work does not).
   */
  observe(workMs: number, busy: boolean, now = Date.now()): void {
    if (busy || workMs - this.lastWork > NOISE_MS) this.lastProgress = now;
    this.lastWork = workMs;
  }

  /** How long nothing has moved. */
  idleMs(now = Date.now()): number {
    return now - this.lastProgress;
  }

  /** The stall to throw now, if the step is idle past its budget or past its ceiling; undefined to go on waiting. */
  verdict(
    step: string,
    budgetMs: number,
    ceilingMs: number,
    loadAverage?: readonly number[],
    now = Date.now(),
  ): HarnessStall | undefined {
    const waited = now - this.started;
    if (this.idleMs(now) >= budgetMs) {
      return new HarnessStall(
        step,
        waited,
        `and nothing behind it ran for the last ${seconds(this.idleMs(now))}`,
        loadAverage,
      );
    }
    if (waited >= ceilingMs) {
      return new HarnessStall(
        step,
        waited,
        `still moving, up to the ceiling of ${seconds(ceilingMs)}`,
        loadAverage,
      );
    }
    return undefined;
  }
}
