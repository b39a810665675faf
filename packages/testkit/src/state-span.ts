import type { TcpState } from '@sockspec/inspector';
import type { Target } from './target';

/** How long one socket stayed in one state, on the target's clock, as its sampler saw it. */
export interface StateSpan {
  /** The first sample that showed the state (epoch ms, target clock). */
  readonly entered: number;
  /** The first sample that no longer showed it. */
  readonly left: number;
  readonly lengthMs: number;
}

/**
 * The span of `state` for the socket with this local (and remote) port, from the sampler's change log: both ends
 * are sample times of the sampler itself (every 10 ms), never the time a request to wait for them arrived, which
 * comes later by however long the request took. Call it once the socket has left the state.
 */
export async function stateSpan(
  target: Target,
  socket: { readonly localPort: number; readonly remotePort?: number },
  state: TcpState,
): Promise<StateSpan> {
  const { changes } = await target.changes(0);
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
  return { entered: entered.time, left: left.time, lengthMs: left.time - entered.time };
}
