import type { TcpChange } from '@sockspec/agent/protocol';
import { HarnessStall } from './harness-stall';
import type { TcpState } from '@sockspec/inspector';
import type { Interval } from './kernel-deadline';
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

export type SocketPorts = { readonly localPort: number; readonly remotePort?: number };

/** The socket's own changes, by local (and remote) port. */
export function changesOf(changes: readonly TcpChange[], socket: SocketPorts): TcpChange[] {
  return changes.filter(
    (change) =>
      change.local.port === socket.localPort &&
      (socket.remotePort === undefined || change.remote.port === socket.remotePort),
  );
}

/**
 * When the socket left `state`, as the sampler bracketed it: after the read start of the last sample that still
 * showed it in the state, before the read end of the first that did not. Undefined while it has not left.
 */
export function findRemoval(
  changes: readonly TcpChange[],
  socket: SocketPorts,
  state: TcpState,
): Interval | undefined {
  const out = changesOf(changes, socket).find(
    (change) => change.from === state && change.to !== state,
  );
  return out === undefined
    ? undefined
    : { earliest: out.previousTime ?? out.time, latest: out.time };
}

/** How long the sampler may take to log a change a wait already saw in a reading of its own. */
const LOGGED_WITHIN_MS = 5_000;

/**
 * The removal of a socket that a wait saw gone: from the sampler's log, which it reaches at its next sample. A
 * sampler that logs nothing for LOGGED_WITHIN_MS after the socket was seen gone is a HarnessStall.
 */
export async function stateRemoval(
  target: Target,
  socket: SocketPorts,
  state: TcpState,
): Promise<Interval> {
  const started = Date.now();
  for (;;) {
    const removal = findRemoval((await target.changes(0)).changes, socket, state);
    if (removal !== undefined) return removal;
    if (Date.now() - started > LOGGED_WITHIN_MS) {
      throw new HarnessStall(
        `the sampler's log of local port ${socket.localPort} leaving ${state}`,
        Date.now() - started,
        'a wait saw the socket gone, but no sample logged it',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first complete span of `state` for this socket in a sampler's change log, or an error naming what it saw. */
export function findStateSpan(
  changes: readonly TcpChange[],
  socket: SocketPorts,
  state: TcpState,
): StateSpan {
  const mine = changesOf(changes, socket);
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
