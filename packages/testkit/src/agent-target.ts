import type {
  AgentInfo,
  ChangesResult,
  DropRule,
  Segment,
  InstalledDropRule,
  ProgramState,
  Snapshot,
  SocketFamily,
  SocketFilter,
  WaitRequest,
  WaitResult,
} from '@sockspec/agent';
import { filterEntries } from '@sockspec/agent';
import type { TcpSocketEntry } from '@sockspec/inspector';
import type { AgentClient } from './agent-client';
import { PacketCapture } from './packet-capture';
import { RemoteProgram } from './remote-program';
import { RemoteSocket } from './remote-socket';
import { StateWaitTimeout } from './state-wait-timeout';
import { RECORD_TIMEOUT_MS, writeTimelineRecord } from './timeline-record';
import { announceWait } from './wait-progress';
import type { StateWait, Target, WaitOptions } from './target';

const DEFAULT_WAIT_MS = 10_000;

/** Everything a target does through its agent; a kind of target adds only how it starts and stops. */
export abstract class AgentTarget implements Target {
  abstract readonly name: string;
  abstract readonly kind: 'container' | 'vm';

  /** Segments of every capture stopped so far, for the timeline record. */
  protected readonly captured: Segment[] = [];
  /** When the target was asked for (epoch ms), the start of its timeline. */
  protected readonly started = Date.now();
  /** The sysctls the spec asked this target for, for its record. */
  protected requestedSysctls: Readonly<Record<string, string | number>> = {};
  /**
   * How much slower than a container this target runs: default time limits (not those a spec states for a kernel
   * timer) are stretched by it. An emulated VM overrides it.
   */
  protected readonly timeScale: number = 1;

  constructor(readonly agent: AgentClient) {}

  abstract stop(): Promise<void>;

  /** Writes the timeline record of a target about to stop (never throws); agentPort's own traffic left out. */
  protected recordTimeline(agentPort: number): Promise<void> {
    return writeTimelineRecord(
      this,
      this.started,
      this.captured,
      agentPort,
      this.requestedSysctls,
      RECORD_TIMEOUT_MS * this.timeScale,
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  info(): Promise<AgentInfo> {
    return this.agent.get('/v1/info');
  }

  async socket(family: SocketFamily = 'ipv4'): Promise<RemoteSocket> {
    const { id } = await this.agent.post<{ id: number }>('/v1/sockets', { family });
    return new RemoteSocket(this.agent, id, family);
  }

  async startServer(args: readonly string[]): Promise<RemoteProgram> {
    const server = await this.startProgram('server', args);
    const outcome = await server.listenOutcome();
    if (outcome !== 'listening') {
      throw new Error(`sockspec-server ${args.join(' ')} failed: ${outcome} ${server.stderr}`);
    }
    return server;
  }

  startClient(args: readonly string[]): Promise<RemoteProgram> {
    return this.startProgram('client', args);
  }

  startProgram(
    program: 'server' | 'client',
    args: readonly string[],
    options: { readonly uid?: number } = {},
  ): Promise<RemoteProgram> {
    return this.launch(program, args, `sockspec-${program} ${args.join(' ')}`, options);
  }

  run(command: readonly string[], options: { readonly uid?: number } = {}): Promise<RemoteProgram> {
    return this.launch('command', command, command.join(' '), options);
  }

  private async launch(
    program: ProgramState['program'],
    args: readonly string[],
    description: string,
    options: { readonly uid?: number },
  ): Promise<RemoteProgram> {
    const { id, pid } = await this.agent.post<Pick<ProgramState, 'id' | 'pid'>>('/v1/programs', {
      program,
      args,
      ...options,
    });
    return new RemoteProgram(this.agent, id, pid, description, this.timeScale);
  }

  async sockets(filter: SocketFilter = {}): Promise<TcpSocketEntry[]> {
    return (await this.snapshot(filter)).entries;
  }

  async snapshot(filter: SocketFilter = {}): Promise<{ time: number; entries: TcpSocketEntry[] }> {
    const snapshot = await this.agent.get<Snapshot>('/v1/tcp');
    return { time: snapshot.time, entries: filterEntries(snapshot.entries, filter) };
  }

  async tryWait(
    filter: SocketFilter,
    options: WaitOptions & { readonly absent?: boolean },
  ): Promise<WaitResult> {
    const request: WaitRequest = {
      filter: {
        ...filter,
        state: filter.state === undefined ? undefined : [filter.state].flat(),
      },
      count: options.count,
      absent: options.absent,
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS * this.timeScale,
    };
    const done = announceWait(filter, options.absent === true, request.timeoutMs);
    try {
      // The agent may add the time its sampler fell behind, up to the wait's length again.
      return await this.agent.post<WaitResult>('/v1/tcp/wait', request, {
        expectMs: 2 * request.timeoutMs,
      });
    } finally {
      done();
    }
  }

  async waitForState(filter: SocketFilter, options: WaitOptions = {}): Promise<StateWait> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS * this.timeScale;
    const result = await this.tryWait(filter, { ...options, timeoutMs });
    if (!result.satisfied) {
      throw new StateWaitTimeout(
        filter,
        `${options.count ?? 1} socket(s)`,
        timeoutMs,
        await this.sockets(),
        result.samplerLateMs,
      );
    }
    return result;
  }

  async waitForAbsence(
    filter: SocketFilter,
    options: { readonly timeoutMs?: number } = {},
  ): Promise<StateWait> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS * this.timeScale;
    const result = await this.tryWait(filter, { timeoutMs, absent: true });
    if (!result.satisfied) {
      throw new StateWaitTimeout(
        filter,
        'no matching socket',
        timeoutMs,
        await this.sockets(),
        result.samplerLateMs,
      );
    }
    return result;
  }

  changes(after = 0): Promise<ChangesResult> {
    return this.agent.get('/v1/tcp/changes', { after });
  }

  async sysctl(name: string): Promise<string | undefined> {
    return (await this.sysctls([name]))[name];
  }

  async sysctls(names: readonly string[]): Promise<Readonly<Record<string, string | undefined>>> {
    const answer = await this.agent.get<{ values: Record<string, string | undefined> }>(
      '/v1/sysctls',
      { names: names.join(',') },
    );
    return answer.values;
  }

  async counters(): Promise<Record<string, number>> {
    const answer = await this.agent.get<{ tcpExt: Record<string, number> }>('/v1/counters');
    return answer.tcpExt;
  }

  dropSegments(rule: DropRule): Promise<InstalledDropRule> {
    return this.agent.post('/v1/firewall/drops', rule);
  }

  async dropRules(): Promise<InstalledDropRule[]> {
    const answer = await this.agent.get<{ rules: InstalledDropRule[] }>('/v1/firewall/drops');
    return answer.rules;
  }

  async removeDropRule(handle: number): Promise<void> {
    await this.agent.delete(`/v1/firewall/drops/${handle}`);
  }

  async capture(port: number): Promise<PacketCapture> {
    const { id } = await this.agent.post<{ id: number }>('/v1/captures', { port });
    return new PacketCapture(this.agent, id, port, (segments) => this.captured.push(...segments));
  }
}
