import type { Endpoint, TcpSocketEntry } from './tcp-socket-entry';
import type { TcpState } from './tcp-state';

export interface StateChange {
  /** The sample that first showed the change: when its read of the table ended. */
  readonly time: number;
  /**
   * The sample before it, which still showed `from`: when its read began (null: this is the tracker's first
   * sample). The change happened between the two, read times included: a sampler that fell behind (or a read the
   * scheduler interrupted) leaves a wide gap, and a duration measured from samples is only as sure as the gaps
   * around its two ends.
   */
  readonly previousTime: number | null;
  /** The connection's identity (see socketKey). */
  readonly key: string;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** null: the socket appeared. */
  readonly from: TcpState | null;
  /** null: the socket is gone. */
  readonly to: TcpState | null;
}

/**
 * A connection's identity across its states: family and both endpoints. A listener is keyed apart from the
 * connections on its port (its remote end is the wildcard), so a port's LISTEN and ESTABLISHED never collide.
 */
export function socketKey(entry: TcpSocketEntry): string {
  const listen = entry.state === 'LISTEN' ? ' listen' : '';
  return `${entry.family} ${entry.local.address}:${entry.local.port} ${entry.remote.address}:${entry.remote.port}${listen}`;
}

/** Compares successive snapshots of the table and reports what appeared, changed state, or disappeared. */
export class StateTracker {
  private previous = new Map<string, TcpSocketEntry>();
  private previousTime: number | null = null;

  /** One sample: the table as read, when the read ended (`time`) and began (`start`, the same when not known). */
  update(entries: readonly TcpSocketEntry[], time: number, start = time): StateChange[] {
    const current = new Map<string, TcpSocketEntry>();
    for (const entry of entries) current.set(socketKey(entry), entry);
    const changes: StateChange[] = [];
    for (const [key, entry] of current) {
      const before = this.previous.get(key);
      if (before === undefined || before.state !== entry.state) {
        changes.push({
          time,
          previousTime: this.previousTime,
          key,
          local: entry.local,
          remote: entry.remote,
          from: before?.state ?? null,
          to: entry.state,
        });
      }
    }
    for (const [key, entry] of this.previous) {
      if (!current.has(key)) {
        changes.push({
          time,
          previousTime: this.previousTime,
          key,
          local: entry.local,
          remote: entry.remote,
          from: entry.state,
          to: null,
        });
      }
    }
    this.previous = current;
    this.previousTime = start;
    return changes;
  }
}
