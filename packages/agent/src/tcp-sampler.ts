import {
  StateTracker,
  readTcpSocketsSync,
  socketKey,
  tcp6InUse,
  type StateChange,
  type TcpSocketEntry,
} from '@sockspec/inspector';
import type { ChangesResult, Snapshot, TcpChange, WaitRequest, WaitResult } from './protocol';
import { nextSampleDelay, type SamplingPolicy } from './sample-schedule';
import { filterEntries } from './protocol';

const MAX_CHANGES = 20_000;
/**
 * How long after a request the table is sampled densely. A request's own effect is caught by the samples taken
 * right before and right after it; what it sets off later on loopback without a timer procfs shows (a delayed
 * ACK, at most 200 ms) falls within this.
 */
export const REQUEST_LEASE_MS = 250;

interface Waiter {
  readonly request: WaitRequest;
  readonly since: number;
  /** The sampler's lateness counter when the wait began. */
  readonly lateAtStart: number;
  /** Time added to the wait for samples that came late. */
  extendedMs: number;
  readonly resolve: (result: WaitResult) => void;
  timer: NodeJS.Timeout;
}

export interface SamplerOptions {
  /** The resolution: densely, a sample every this many ms. */
  readonly intervalMs: number;
  /** When to sample (sample-schedule.ts); default 'on-demand'. */
  readonly mode?: SamplingPolicy;
  /** The agent's port, whose own connections do not call for samples (known once the agent listens). */
  readonly agentPort?: () => number;
  /** Whether a program of the target's runs: it may change the table at any time. */
  readonly programsRunning?: () => boolean;
  /** Whether a packet capture runs, whose segments the report lines up with the sampled changes. */
  readonly captureRunning?: () => boolean;
  readonly procRoot?: string;
}

/**
 * Samples the kernel's TCP table, keeps the state changes it saw in order (numbered by `seq`), and answers waits at
 * the first sample that satisfies them. Sampling in the target rather than from the host keeps the measured
 * durations free of HTTP round trips. When it samples is sample-schedule.ts's decision; `touch()` marks a request.
 */
export class TcpSampler {
  private readonly tracker = new StateTracker();
  private readonly changes: TcpChange[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly changeListeners = new Set<() => void>();
  private seq = 0;
  private latest: Snapshot = { time: 0, entries: [] };
  /** Whether the namespace has had IPv6 TCP sockets: from then on the IPv6 table is read at every sample. */
  private ipv6Seen = false;
  private timer: NodeJS.Timeout | undefined;
  private due = 0;
  private running = false;
  private denseUntil = 0;
  /** Milliseconds samples came later than due, summed: how far a starved agent fell behind. */
  private lateMs = 0;
  private readonly intervalMs: number;
  private readonly mode: SamplingPolicy;

  constructor(private readonly options: SamplerOptions) {
    this.intervalMs = options.intervalMs;
    this.mode = options.mode ?? 'on-demand';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sample();
    this.schedule();
  }

  /** Stops sampling; pending waits end unsatisfied and pending long polls answer with what there is. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of [...this.waiters]) this.finish(waiter, false);
    for (const listener of [...this.changeListeners]) listener();
  }

  /**
   * A request that may change the table is about to act: sample now unless the last sample is fresh, so that what
   * the request changes is dated from a sample just before it, however starved the sampler's timer is.
   */
  touch(): void {
    if (!this.running) return;
    if (Date.now() - this.latest.time >= this.intervalMs) this.sample();
  }

  /**
   * A request has acted: sample at once (what it changed on loopback, such as close()'s FIN and its ACK, is done by
   * now), then densely for a while for what it set off.
   */
  settle(): void {
    if (!this.running) return;
    this.denseUntil = Date.now() + REQUEST_LEASE_MS;
    this.sample();
    this.schedule();
  }

  /** A fresh reading of both tables, not the last sample. */
  snapshot(): Snapshot {
    const start = Date.now();
    const entries = readTcpSocketsSync({ procRoot: this.options.procRoot });
    return { time: Date.now(), start, entries };
  }

  /** An IPv6 socket was made: its TIME_WAIT end must be seen even if no sample ran while it was open. */
  noteIpv6(): void {
    this.ipv6Seen = true;
  }

  /**
   * A sample's reading. Each table read walks the kernel's whole hash table, so the IPv6 one is read only once the
   * namespace has had IPv6 TCP sockets (sockstat6 counts all but TIME_WAIT, which stay in the table until they
   * expire, so once seen it is read from then on).
   */
  private read(): Snapshot {
    const { procRoot } = this.options;
    this.ipv6Seen ||=
      this.latest.entries.some((entry) => entry.family === 'ipv6') || tcp6InUse({ procRoot }) > 0;
    const ipv6 = this.ipv6Seen;
    const start = Date.now();
    const entries = readTcpSocketsSync({ procRoot, families: ipv6 ? ['ipv4', 'ipv6'] : ['ipv4'] });
    // Stamped when the read ended: what it shows (a timer's time left) was so by then at the latest.
    return { time: Date.now(), start, entries };
  }

  wait(request: WaitRequest): Promise<WaitResult> {
    return new Promise((resolve) => {
      const since = Date.now();
      const waiter: Waiter = {
        request,
        since,
        lateAtStart: this.lateMs,
        extendedMs: 0,
        resolve,
        timer: setTimeout(() => this.timeOut(waiter), request.timeoutMs),
      };
      this.waiters.add(waiter);
      this.start();
      this.check(waiter, this.snapshot());
      // An open wait sets a pace of its own (sample-schedule.ts): a paused or long-sleeping sampler wakes for it.
      if (this.waiters.has(waiter)) this.schedule();
    });
  }

  /**
   * Changes with seq >= after; waits up to waitMs for the next one when there are none yet. A paused sampler may
   * not have looked since the last request: the log is brought up to date with a sample first, as a request would.
   */
  async changesSince(after: number, waitMs: number): Promise<ChangesResult> {
    this.start();
    this.touch();
    if (this.seq < after && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.changeListeners.delete(done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        this.changeListeners.add(done);
        // An open long poll wants the timeline as it is made: a paused sampler wakes for it.
        this.schedule();
      });
    }
    const first = this.changes[0]?.seq ?? this.seq + 1;
    const changes = this.changes.slice(Math.max(0, after - first));
    return { changes, next: this.seq + 1 };
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    const now = Date.now();
    const delay =
      this.mode === 'always'
        ? Math.max(0, this.latest.time + this.intervalMs - now)
        : nextSampleDelay({
            now,
            sample: this.latest,
            denseUntil: this.denseUntil,
            programsRunning: this.options.programsRunning?.() ?? false,
            waitOpen: this.waiters.size > 0,
            longPollOpen: this.changeListeners.size > 0,
            captureRunning: this.options.captureRunning?.() ?? false,
            policy: this.mode,
            agentPort: this.options.agentPort?.() ?? -1,
            intervalMs: this.intervalMs,
          });
    if (delay === null) return;
    this.due = now + delay;
    this.timer = setTimeout(() => {
      // Lateness beyond a tick is the agent not getting the CPU: waits report it, a slow harness is not the kernel.
      this.lateMs += Math.max(0, Date.now() - this.due - this.intervalMs);
      this.sample();
      this.schedule();
    }, delay);
  }

  private sample(): void {
    const snapshot = this.read();
    this.latest = snapshot;
    const found = this.tracker.update(snapshot.entries, snapshot.time, snapshot.start);
    const byKey = found.length === 0 ? undefined : entriesByKey(snapshot.entries);
    for (const change of found) {
      this.seq += 1;
      this.changes.push(withReading(this.seq, change, snapshot.start, byKey));
    }
    if (this.changes.length > MAX_CHANGES)
      this.changes.splice(0, this.changes.length - MAX_CHANGES);
    if (found.length > 0) for (const listener of [...this.changeListeners]) listener();
    for (const waiter of [...this.waiters]) this.check(waiter, snapshot);
  }

  /**
   * A wait's time is up. Where the sampler fell behind meanwhile, the kernel was not looked at for that long: the
   * wait gets that time back (up to its own length again), so a starved agent does not fail a wait the kernel met.
   */
  private timeOut(waiter: Waiter): void {
    const owed = this.lateMs - waiter.lateAtStart - waiter.extendedMs;
    if (owed > this.intervalMs && waiter.extendedMs < waiter.request.timeoutMs) {
      const extra = Math.min(owed, waiter.request.timeoutMs - waiter.extendedMs);
      waiter.extendedMs += extra;
      waiter.timer = setTimeout(() => this.timeOut(waiter), extra);
      return;
    }
    this.finish(waiter, false);
  }

  private check(waiter: Waiter, snapshot: Snapshot): void {
    const matching = filterEntries(snapshot.entries, waiter.request.filter);
    const wanted = waiter.request.count ?? 1;
    const satisfied = waiter.request.absent ? matching.length === 0 : matching.length >= wanted;
    if (satisfied) this.finish(waiter, true, snapshot.time, matching, snapshot.start);
  }

  private finish(
    waiter: Waiter,
    satisfied: boolean,
    time = Date.now(),
    entries: readonly TcpSocketEntry[] = filterEntries(this.latest.entries, waiter.request.filter),
    start?: number,
  ): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve({
      satisfied,
      waitedMs: Math.max(0, time - waiter.since),
      time,
      ...(start === undefined ? {} : { start }),
      entries,
      samplerLateMs: Math.round(this.lateMs - waiter.lateAtStart),
    });
  }
}

function entriesByKey(entries: readonly TcpSocketEntry[]): Map<string, TcpSocketEntry> {
  return new Map(entries.map((entry) => [socketKey(entry), entry]));
}

/**
 * A change as the sampler logs it: numbered, with its sample's read start and, for a socket still listed, its timer
 * at that sample (so the kernel's deadline is read even when no later request reaches the socket in time).
 */
function withReading(
  seq: number,
  change: StateChange,
  start: number | undefined,
  byKey: ReadonlyMap<string, TcpSocketEntry> | undefined,
): TcpChange {
  const entry = change.to === null ? undefined : byKey?.get(change.key);
  return {
    seq,
    ...change,
    ...(start === undefined ? {} : { start }),
    ...(entry === undefined ? {} : { timer: entry.timer }),
  };
}
