import type { ProgramEvent, ProgramExit, ProgramState } from '@sockspec/agent';
import type { AgentClient } from './agent-client';

export type EventPredicate = (event: ProgramEvent) => boolean;

/** One run of sockspec-server, sockspec-client or sockspec-inspect inside a target, with its JSON events. */
export class RemoteProgram {
  private readonly seen: ProgramEvent[] = [];
  private next = 0;
  private exited: ProgramExit | null = null;
  private stderrText = '';

  constructor(
    private readonly agent: AgentClient,
    readonly id: number,
    readonly pid: number,
    readonly description: string,
    /** How much slower than a container the target runs (an emulated VM: several times); stretches the defaults. */
    private readonly timeScale = 1,
  ) {}

  /** A default time limit for this target: the limit a container needs, times its slowness. */
  private scaled(ms: number): number {
    return ms * this.timeScale;
  }

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
    const state = await this.agent.get<ProgramState>(`/v1/programs/${this.id}`, {
      after: this.next,
      waitMs,
    });
    this.seen.push(...state.events);
    this.next = state.next;
    this.exited = state.exit;
    this.stderrText = state.stderr;
  }

  /**
   * Waits until `count` events match (by name or predicate), pulling events as they come. Resolves with the
   * matching events; rejects after `timeoutMs` or when the program exits first, naming what it saw.
   */
  async waitForEvents(
    match: string | EventPredicate,
    options: { readonly count?: number; readonly timeoutMs?: number } = {},
  ): Promise<ProgramEvent[]> {
    const predicate: EventPredicate =
      typeof match === 'string' ? (event) => event.event === match : match;
    const count = options.count ?? 1;
    const deadline = Date.now() + (options.timeoutMs ?? this.scaled(10_000));
    for (;;) {
      const found = this.seen.filter(predicate);
      if (found.length >= count) return found.slice(0, count);
      const left = deadline - Date.now();
      if (left <= 0 || this.exited !== null) {
        const why =
          this.exited !== null ? `it exited (${JSON.stringify(this.exited)})` : 'time ran out';
        throw new Error(
          `${this.description}: wanted ${count} '${typeof match === 'string' ? match : 'matching'}' event(s), ` +
            `saw ${found.length} before ${why}. Events: ${JSON.stringify(this.seen)} stderr: ${this.stderrText}`,
        );
      }
      await this.refresh(Math.min(left, 1000));
    }
  }

  async waitForEvent(
    match: string | EventPredicate,
    timeoutMs = this.scaled(10_000),
  ): Promise<ProgramEvent> {
    const [event] = await this.waitForEvents(match, { timeoutMs });
    return event as ProgramEvent;
  }

  /**
   * For sockspec-server: waits for its first `listening` or `error` event and answers `listening`, or the errno
   * name (EADDRINUSE, ...) of the call that failed.
   */
  async listenOutcome(timeoutMs = this.scaled(10_000)): Promise<string> {
    const first = await this.waitForEvent(
      (event) => ['listening', 'error'].includes(event.event),
      timeoutMs,
    );
    return first.event === 'error' ? String(first.code) : first.event;
  }

  async signal(signal: 'SIGTERM' | 'SIGINT' | 'SIGKILL' | 'SIGHUP'): Promise<void> {
    await this.agent.post(`/v1/programs/${this.id}/signal`, { signal });
  }

  async waitForExit(timeoutMs = this.scaled(10_000)): Promise<ProgramExit> {
    const deadline = Date.now() + timeoutMs;
    while (this.exited === null) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.description}: still running after ${timeoutMs} ms`);
      await this.refresh(Math.min(left, 1000));
    }
    return this.exited;
  }

  /** Ends the program (SIGTERM, then SIGKILL if it lingers). */
  async stop(timeoutMs = this.scaled(5_000)): Promise<ProgramExit> {
    await this.refresh();
    if (this.exited !== null) return this.exited;
    await this.signal('SIGTERM');
    try {
      return await this.waitForExit(timeoutMs);
    } catch {
      await this.signal('SIGKILL');
      return this.waitForExit(timeoutMs);
    }
  }
}
