import {
  PATHS,
  pathTo,
  type ProgramEvent,
  type ProgramExit,
  type ProgramState,
  type TargetActivity,
} from '@sockspec/agent/protocol';
import type { AgentClient } from './agent-client';
import { HARNESS_CEILING_MS, ProgressWatch } from './harness-stall';

export type EventPredicate = (event: ProgramEvent) => boolean;

/** How long a wait on a program goes on with nothing in the target moving, by default (a container's). */
const IDLE_BUDGET_MS = 10_000;
/** The longest one long poll of the agent lasts: the wait re-checks progress at least this often. */
const POLL_MS = 1_000;

/** One run of sockspec-server, sockspec-client or sockspec-inspect inside a target, with its JSON events. */
export class RemoteProgram {
  private readonly seen: ProgramEvent[] = [];
  private next = 0;
  private exited: ProgramExit | null = null;
  private stderrText = '';
  private lastActivity: TargetActivity | undefined;

  constructor(
    private readonly agent: AgentClient,
    readonly id: number,
    readonly pid: number,
    readonly description: string,
    /** How much slower than a container the target runs (an emulated VM: several times); stretches the defaults. */
    private readonly timeScale = 1,
  ) {}

  /** Every event seen so far (call `refresh()` or a wait to pull new ones). */
  get events(): readonly ProgramEvent[] {
    return this.seen;
  }

  get exit(): ProgramExit | null {
    return this.exited;
  }

  get stderr(): string {
    return this.stderrText;
  }

  async refresh(waitMs = 0): Promise<void> {
    const state = await this.agent.get<ProgramState>(
      pathTo(PATHS.program, this.id),
      { after: this.next, waitMs },
      { expectMs: waitMs },
    );
    this.seen.push(...state.events);
    this.next = state.next;
    this.exited = state.exit;
    this.stderrText = state.stderr;
    this.lastActivity = state.activity;
  }

  /**
   * Waits until `count` events match (by name or predicate), pulling events as they come. Resolves with the
   * matching events; rejects when the program exits first, naming what it saw. The wait goes on as long as the
   * target's processes keep moving (a loaded machine is slow, not hung), and fails with a HarnessStall once nothing
   * moved for `idleMs` (default 10 s, stretched on a slow target) or at the harness's ceiling.
   */
  async waitForEvents(
    match: string | EventPredicate,
    options: { readonly count?: number; readonly idleMs?: number } = {},
  ): Promise<ProgramEvent[]> {
    const predicate: EventPredicate =
      typeof match === 'string' ? (event) => event.event === match : match;
    const count = options.count ?? 1;
    const what = `${count} '${typeof match === 'string' ? match : 'matching'}' event(s)`;
    const watch = this.progressWatch();
    for (;;) {
      const found = this.seen.filter(predicate);
      if (found.length >= count) return found.slice(0, count);
      if (this.exited !== null) {
        throw new Error(
          `${this.description}: wanted ${what}, saw ${found.length} before it exited ` +
            `(${JSON.stringify(this.exited)}). Events: ${JSON.stringify(this.seen)} stderr: ${this.stderrText}`,
        );
      }
      this.throwIfStalled(
        watch,
        `${this.description}: ${what} (saw ${found.length})`,
        options.idleMs,
      );
      await this.refresh(POLL_MS);
      this.observe(watch);
    }
  }

  async waitForEvent(match: string | EventPredicate, idleMs?: number): Promise<ProgramEvent> {
    const [event] = await this.waitForEvents(match, { idleMs });
    return event as ProgramEvent;
  }

  /**
   * For sockspec-server: waits for its first `listening` or `error` event and answers `listening`, or the errno
   * name (EADDRINUSE, ...) of the call that failed.
   */
  async listenOutcome(idleMs?: number): Promise<string> {
    const first = await this.waitForEvent(
      (event) => ['listening', 'error'].includes(event.event),
      idleMs,
    );
    return first.event === 'error' ? String(first.code) : first.event;
  }

  async signal(signal: 'SIGTERM' | 'SIGINT' | 'SIGKILL' | 'SIGHUP'): Promise<void> {
    await this.agent.post(pathTo(PATHS.programSignal, this.id), { signal });
  }

  /** Waits for the program to exit, as long as the target keeps moving (see waitForEvents). */
  async waitForExit(idleMs?: number): Promise<ProgramExit> {
    const watch = this.progressWatch();
    while (this.exited === null) {
      this.throwIfStalled(watch, `${this.description}: its exit`, idleMs);
      await this.refresh(POLL_MS);
      this.observe(watch);
    }
    return this.exited;
  }

  /** Ends the program (SIGTERM, then SIGKILL if it lingers). */
  async stop(idleMs = 5_000 * this.timeScale): Promise<ProgramExit> {
    await this.refresh();
    if (this.exited !== null) return this.exited;
    await this.signal('SIGTERM');
    try {
      return await this.waitForExit(idleMs);
    } catch {
      await this.signal('SIGKILL');
      return this.waitForExit(idleMs);
    }
  }

  /** A watch that starts from the last reading of the target's work, or from nothing before the first one. */
  private progressWatch(): ProgressWatch {
    return new ProgressWatch(Date.now(), this.lastActivity?.targetMs ?? 0);
  }

  private observe(watch: ProgressWatch): void {
    if (this.lastActivity !== undefined)
      watch.observe(this.lastActivity.targetMs, this.lastActivity.busy);
  }

  private throwIfStalled(watch: ProgressWatch, step: string, idleMs: number | undefined): void {
    const stall = watch.verdict(
      step,
      idleMs ?? IDLE_BUDGET_MS * this.timeScale,
      HARNESS_CEILING_MS * this.timeScale,
      this.lastActivity?.loadAverage,
    );
    if (stall !== undefined) throw stall;
  }
}
