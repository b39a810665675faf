import type { TcpChange, WaitResult } from '@sockspec/agent/protocol';
import type { TcpState, TcpTimer, TimerKind } from '@sockspec/inspector';
import { HarnessStall } from './harness-stall';
import {
  deadlineOf,
  intersect,
  kernelDeadline,
  timerRuns,
  widthOf,
  type Interval,
  type TimerReading,
} from './kernel-deadline';
import { changesOf, type SocketPorts } from './state-span';
import type { Target } from './target';

/** What readings of one socket's timer in one state show of it. */
export interface TimerReadings {
  /** The readings of the timer as it stands (of its last kind and run: see readKernelTimer). */
  readonly readings: readonly TimerReading[];
  /** The timer kind procfs named in them. */
  readonly kind: TimerKind;
  /** The deadline they allow. */
  readonly deadline: Interval;
  /** The end of the first of them: the kernel had set the timer by then. */
  readonly setBy: number;
}

/** Fresh readings stop once they date the deadline to within this (a read takes a few ms, procfs rounds to 10). */
export const WANTED_DEADLINE_WIDTH_MS = 30;
/** ...or after this many. */
export const MAX_FRESH_READINGS = 5;

/** A reading with the timer's kind, before it becomes a TimerReading. */
type Read = { readonly start: number; readonly end: number; readonly timer: TcpTimer };

/** The sample that first showed the socket in `state`, as a reading of its timer (when the sampler kept one). */
export function changeReading(
  changes: readonly TcpChange[],
  socket: SocketPorts,
  state: TcpState,
): Read | undefined {
  const into = changesOf(changes, socket).find((change) => change.to === state);
  if (into?.timer === undefined || into.start === undefined) return undefined;
  return { start: into.start, end: into.time, timer: into.timer };
}

function waitReading(result: WaitResult): Read | undefined {
  const [entry] = result.entries;
  if (!result.satisfied || entry === undefined || result.start === undefined) return undefined;
  return { start: result.start, end: result.time, timer: entry.timer };
}

/**
 * Reads the kernel's timer on a socket in `state`: the sample that first showed the state (from the sampler's log),
 * then fresh readings while the socket is still there, until the deadline is known to within
 * WANTED_DEADLINE_WIDTH_MS or MAX_FRESH_READINGS were taken. With no reading at all (the socket was gone before any
 * sample showed it in the state) the deadline cannot be known: a HarnessStall that says so.
 */
export async function readKernelTimer(
  target: Target,
  socket: SocketPorts,
  state: TcpState,
): Promise<TimerReadings> {
  const reads: Read[] = [];
  const logged = changeReading((await target.changes(0)).changes, socket, state);
  if (logged !== undefined) reads.push(logged);
  for (let i = 0; i < MAX_FRESH_READINGS; i += 1) {
    const known = intersect(reads.map((read) => deadlineOf(asReading(read))));
    if (known !== undefined && widthOf(known) <= WANTED_DEADLINE_WIDTH_MS) break;
    const fresh = waitReading(await target.tryWait({ ...socket, state }, { timeoutMs: 0 }));
    if (fresh === undefined) break;
    reads.push(fresh);
  }
  const last = reads.at(-1);
  if (last === undefined) {
    throw new HarnessStall(
      `a reading of the ${state} timer on local port ${socket.localPort}`,
      0,
      `no sample showed the socket in ${state} at all, so its timer was never read`,
    );
  }
  return timerAsItStands(reads, last.timer.kind);
}

/**
 * The readings of the timer as it stands: of the last kind read, and of the last run (timerRuns). A read can catch
 * the kernel between two steps of one change (a state set, its new timer not yet), and what such a read shows of
 * the timer was replaced microseconds later.
 */
function timerAsItStands(reads: readonly Read[], kind: TimerKind): TimerReadings {
  const ofKind = reads.filter((read) => read.timer.kind === kind).map(asReading);
  const readings = timerRuns(ofKind).at(-1) ?? [];
  return {
    readings,
    kind,
    deadline: kernelDeadline(readings),
    setBy: Math.min(...readings.map((reading) => reading.end)),
  };
}

function asReading(read: Read): TimerReading {
  return { start: read.start, end: read.end, remainingMs: read.timer.remainingMs };
}
