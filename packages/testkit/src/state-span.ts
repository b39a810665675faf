import type { TcpChange } from '@sockspec/agent/protocol';
import { HarnessStall } from './harness-stall';
import type { TcpState } from '@sockspec/inspector';
import type { Target } from './target';

/**
 * How long one socket stayed in one state, on the target's clock, as its sampler saw it. The sampler reads the
 * table every 10 ms when it keeps up; on a loaded machine it can fall behind by hundreds of ms. Each end of the
 * span is therefore known between two samples, and the true length lies in [shortestMs, longestMs]: a bound that
 * the kernel must not undercut is checked against longestMs, one it must not exceed against shortestMs.
 */
export interface StateSpan {
  /** The first sample that showed the state (epoch ms, target clock). */
  readonly entered: number;
  /** The sample before it, which did not show it yet. */
  readonly enteredAfter: number;
  /** The first sample that no longer showed it. */
  readonly left: number;
  /** The sample before it, the last one that showed it. */
  readonly leftAfter: number;
  /** From the first sample showing the state to the first not showing it. */
  readonly lengthMs: number;
  /** The least the state can have lasted: from the first sample showing it to the last one. */
  readonly shortestMs: number;
  /** The most it can have lasted: from the last sample before it to the first one after it. */
  readonly longestMs: number;
}

/**
 * The most doubt a measured span may carry, its longest possible length minus its shortest: a span the samples leave
 * open by more than this does not count as a measurement. A loaded 2-core machine stays far below it.
 */
export const SAMPLING_DOUBT_MS = 1_000;

type SocketPorts = { readonly localPort: number; readonly remotePort?: number };

/**
 * Holds a span to SAMPLING_DOUBT_MS: a span whose samples leave more doubt was not measured, because the sampler was
 * starved, and that is the harness's failure (a HarnessStall), never a finding about the kernel.
 */
export function assertMeasured(span: StateSpan, what: string): void {
  const doubt = span.longestMs - span.shortestMs;
  if (doubt > SAMPLING_DOUBT_MS) {
    throw new HarnessStall(
      `a measurement of ${what} known to within ${SAMPLING_DOUBT_MS} ms`,
      span.left - span.enteredAfter,
      `the sampler's samples around its ends leave ${Math.round(doubt)} ms of doubt (it was starved of CPU)`,
    );
  }
}

/** The first complete span of `state` for this socket in a sampler's change log, or an error naming what it saw. */
export function findStateSpan(
  changes: readonly TcpChange[],
  socket: SocketPorts,
  state: TcpState,
): StateSpan {
  const mine = changes.filter(
    (change) =>
      change.local.port === socket.localPort &&
      (socket.remotePort === undefined || change.remote.port === socket.remotePort),
  );
  const into = mine.findIndex((change) => change.to === state);
  const out = mine.findIndex((change, i) => i > into && change.to !== state);
  const entered = mine[into];
  const left = mine[out];
  if (into < 0 || entered === undefined || left === undefined) {
    throw new Error(
      `the sampler saw no complete ${state} span for local port ${socket.localPort}: ` +
        JSON.stringify(mine.map((change) => `${change.from ?? '-'}>${change.to ?? '-'}`)),
    );
  }
  // A change in the sampler's first sample has no sample before it: it can only be dated by its own.
  const enteredAfter = entered.previousTime ?? entered.time;
  const leftAfter = left.previousTime ?? left.time;
  return {
    entered: entered.time,
    enteredAfter,
    left: left.time,
    leftAfter,
    lengthMs: left.time - entered.time,
    shortestMs: leftAfter - entered.time,
    longestMs: left.time - enteredAfter,
  };
}

/**
 * The span of `state` for the socket with this local (and remote) port, from the sampler's change log: both ends
 * are sample times of the sampler itself, never the time a request to wait for them arrived, which comes later by
 * however long the request took. Call it once the socket has left the state.
 */
export async function stateSpan(
  target: Target,
  socket: SocketPorts,
  state: TcpState,
): Promise<StateSpan> {
  const { changes } = await target.changes(0);
  return findStateSpan(changes, socket, state);
}
