import { StateTracker, readTcpSocketsSync, type TcpSocketEntry } from '@sockspec/inspector';
import type { ChangesResult, Snapshot, TcpChange, WaitRequest, WaitResult } from './api';
import { filterEntries } from './socket-filter';

const MAX_CHANGES = 20_000;

interface Waiter {
  readonly request: WaitRequest;
  readonly since: number;
  readonly resolve: (result: WaitResult) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Samples the kernel's TCP table every `intervalMs` while anyone is interested, keeps the state changes it saw in
 * order (numbered by `seq`), and answers waits at the first sample that satisfies them. Sampling in the target
 * rather than from the host keeps the measured durations free of HTTP round trips.
 */
export class TcpSampler {
  private readonly tracker = new StateTracker();
  private readonly changes: TcpChange[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly changeListeners = new Set<() => void>();
  private seq = 0;
  private latest: Snapshot = { time: 0, entries: [] };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly procRoot = '/proc',
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Stops sampling; pending waits end unsatisfied and pending long polls answer with what there is. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const waiter of [...this.waiters]) this.finish(waiter, false);
    for (const listener of [...this.changeListeners]) listener();
  }

  /** A fresh reading, not the last sample. */
  snapshot(): Snapshot {
    return { time: Date.now(), entries: readTcpSocketsSync({ procRoot: this.procRoot }) };
  }

  wait(request: WaitRequest): Promise<WaitResult> {
    return new Promise((resolve) => {
      const since = Date.now();
      const waiter: Waiter = {
        request,
        since,
        resolve,
        timer: setTimeout(() => this.finish(waiter, false), request.timeoutMs),
      };
      this.waiters.add(waiter);
      this.start();
      this.check(waiter, this.snapshot());
    });
  }

  /** Changes with seq >= after; waits up to waitMs for the next one when there are none yet. */
  async changesSince(after: number, waitMs: number): Promise<ChangesResult> {
    this.start();
    if (this.lastSeq() < after && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.changeListeners.delete(done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        this.changeListeners.add(done);
      });
    }
    const first = this.changes[0]?.seq ?? this.seq + 1;
    const changes = this.changes.slice(Math.max(0, after - first));
    return { changes, next: this.seq + 1 };
  }

  private lastSeq(): number {
    return this.seq;
  }

  private sample(): void {
    const snapshot = this.snapshot();
    this.latest = snapshot;
    const found = this.tracker.update(snapshot.entries, snapshot.time);
    for (const change of found) {
      this.seq += 1;
      this.changes.push({ seq: this.seq, ...change });
    }
    if (this.changes.length > MAX_CHANGES)
      this.changes.splice(0, this.changes.length - MAX_CHANGES);
    if (found.length > 0) for (const listener of [...this.changeListeners]) listener();
    for (const waiter of [...this.waiters]) this.check(waiter, snapshot);
  }

  private check(waiter: Waiter, snapshot: Snapshot): void {
    const matching = filterEntries(snapshot.entries, waiter.request.filter);
    const wanted = waiter.request.count ?? 1;
    const satisfied = waiter.request.absent ? matching.length === 0 : matching.length >= wanted;
    if (satisfied) this.finish(waiter, true, snapshot.time, matching);
  }

  private finish(
    waiter: Waiter,
    satisfied: boolean,
    time = Date.now(),
    entries: readonly TcpSocketEntry[] = filterEntries(this.latest.entries, waiter.request.filter),
  ): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve({ satisfied, waitedMs: Math.max(0, time - waiter.since), time, entries });
  }
}
