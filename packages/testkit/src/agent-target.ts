import {
  PATHS,
  filterEntries,
  pathTo,
  type AgentInfo,
  type ChangesResult,
  type DropRule,
  type InstalledDropRule,
  type ProgramState,
  type Segment,
  type Snapshot,
  type SocketFamily,
  type SocketFilter,
  type WaitRequest,
  type WaitResult,
} from '@sockspec/agent/protocol';
import type { TcpSocketEntry } from '@sockspec/inspector';
import { announceLiveTarget, type CaptureRecord, type DropRecord } from '@sockspec/records';
import type { AgentClient } from './agent-client';
import { saveCaptureFile } from './capture-file';
import { currentScenario } from './jest-state';
import { PacketCapture } from './packet-capture';
import { RemoteProgram } from './remote-program';
import { RemoteSocket } from './remote-socket';
import { StateWaitTimeout } from './state-wait-timeout';
import { RECORD_TIMEOUT_MS, writeTimelineRecord } from './timeline-record';
import { announceWait } from './wait-progress';
import { uploadFiles } from './upload-files';
import type { RunOptions, StateWait, Target, WaitOptions } from './target';

const DEFAULT_WAIT_MS = 10_000;
/** How many of a program's last events a failed wait shows. */
const LAST_EVENTS = 12;

/** Everything a target does through its agent; a kind of target adds only how it starts and stops. */
export abstract class AgentTarget implements Target {
  abstract readonly name: string;
  abstract readonly kind: 'container' | 'vm';

  /** Segments of every capture stopped so far, for the timeline record. */
  protected readonly captured: Segment[] = [];
  /** The captures' pcap files saved so far. */
  protected readonly captureFiles: CaptureRecord[] = [];
  /** Every drop rule installed, and while, for the timeline record. */
  private readonly drops = new Map<number, DropRecord>();
  private readonly launched: RemoteProgram[] = [];
  /** When the target was asked for (epoch ms), the start of its timeline. */
  protected readonly started = Date.now();
  /** The sysctls the spec asked this target for, for its record. */
  protected requestedSysctls: Readonly<Record<string, string | number>> = {};
  /** Where its record and capture files go (TargetOptions.reportDir); undefined: the run's report folder. */
  protected reportDir: string | undefined;
  /**
   * How much slower than a container this target runs: default time limits (not those a spec states for a kernel
   * timer) are stretched by it. An emulated VM overrides it.
   */
  protected readonly timeScale: number = 1;
  private forgetLive: () => void = () => undefined;

  constructor(readonly agent: AgentClient) {}

  abstract stop(): Promise<void>;

  /** Lets `sockspec watch` find this target while it runs (a kind of target calls it once it answers). */
  protected announce(agentToken: string): void {
    this.forgetLive = announceLiveTarget({
      name: this.name,
      kind: this.kind,
      scenario: currentScenario().file,
      agentUrl: this.agent.baseUrl,
      token: agentToken,
      started: this.started,
      pid: process.pid,
    });
  }

  /** Writes the timeline record of a target about to stop (never throws); agentPort's own traffic left out. */
  protected async recordTimeline(agentPort: number): Promise<void> {
    this.forgetLive();
    await writeTimelineRecord(
      this,
      this.started,
      this.captured,
      agentPort,
      this.requestedSysctls,
      [...this.drops.values()],
      this.captureFiles,
      RECORD_TIMEOUT_MS * this.timeScale,
      this.reportDir,
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  info(): Promise<AgentInfo> {
    return this.agent.get(PATHS.info);
  }

  async socket(family: SocketFamily = 'ipv4'): Promise<RemoteSocket> {
    const { id } = await this.agent.post<{ id: number }>(PATHS.sockets, { family });
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

  async run(command: readonly string[], options: RunOptions = {}): Promise<RemoteProgram> {
    const { files, nodeModules, cwd, uid } = options;
    const folder =
      files === undefined ? undefined : await uploadFiles(this.agent, files, { nodeModules });
    const where = folder === undefined ? cwd : cwd === undefined ? folder : `${folder}/${cwd}`;
    return this.launch('command', command, command.join(' '), {
      uid,
      ...(where === undefined ? {} : { cwd: where }),
    });
  }

  private async launch(
    program: ProgramState['program'],
    args: readonly string[],
    description: string,
    options: { readonly uid?: number; readonly cwd?: string },
  ): Promise<RemoteProgram> {
    const { id, pid } = await this.agent.post<Pick<ProgramState, 'id' | 'pid'>>(PATHS.programs, {
      program,
      args,
      ...options,
    });
    const started = new RemoteProgram(this.agent, id, pid, description, this.timeScale);
    this.launched.push(started);
    return started;
  }

  /** What each program started here printed last, for a failed wait to show beside the table. */
  private async programsSaid(): Promise<string> {
    const lines = await Promise.all(
      this.launched.map(async (program) => {
        await program.refresh().catch(() => undefined);
        const exit = program.exit;
        const status = exit === null ? 'running' : `exited ${exit.code ?? exit.signal ?? '?'}`;
        const events = program.events.slice(-LAST_EVENTS).map((event) =>
          [event.event, event.conn, event.code]
            .filter((part) => part !== undefined)
            .map(String)
            .join(' '),
        );
        return `  ${program.description} (${status}): ${events.join(', ')}`;
      }),
    );
    return lines.join('\n');
  }

  async sockets(filter: SocketFilter = {}): Promise<TcpSocketEntry[]> {
    return filterEntries(await this.table(), filter);
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
      return await this.agent.post<WaitResult>(PATHS.tcpWait, request, {
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
        await this.table(),
        result.samplerLateMs,
        await this.programsSaid(),
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
        await this.table(),
        result.samplerLateMs,
        await this.programsSaid(),
      );
    }
    return result;
  }

  changes(after = 0): Promise<ChangesResult> {
    return this.agent.get(PATHS.tcpChanges, { after });
  }

  async sysctl(name: string): Promise<string | undefined> {
    return (await this.sysctls([name]))[name];
  }

  async sysctls(names: readonly string[]): Promise<Readonly<Record<string, string | undefined>>> {
    const answer = await this.agent.get<{ values: Record<string, string | undefined> }>(
      PATHS.sysctls,
      { names: names.join(',') },
    );
    return answer.values;
  }

  async counters(): Promise<Record<string, number>> {
    const answer = await this.agent.get<{ tcpExt: Record<string, number> }>(PATHS.counters);
    return answer.tcpExt;
  }

  async dropSegments(rule: DropRule): Promise<InstalledDropRule> {
    const installed = await this.agent.post<InstalledDropRule>(PATHS.drops, rule);
    this.drops.set(installed.handle, { ...rule, from: Date.now() });
    return installed;
  }

  async dropRules(): Promise<InstalledDropRule[]> {
    const answer = await this.agent.get<{ rules: InstalledDropRule[] }>(PATHS.drops);
    return answer.rules;
  }

  async removeDropRule(handle: number): Promise<void> {
    await this.agent.delete(pathTo(PATHS.drop, handle));
    const drop = this.drops.get(handle);
    if (drop !== undefined) this.drops.set(handle, { ...drop, until: Date.now() });
  }

  async capture(port: number): Promise<PacketCapture> {
    const { id } = await this.agent.post<{ id: number }>(PATHS.captures, { port });
    return new PacketCapture(this.agent, id, port, (segments, pcap) => {
      this.captured.push(...segments);
      this.captureFiles.push(saveCaptureFile(this.name, port, id, pcap, this.reportDir));
    });
  }

  /** The whole table as it is now, for a message. */
  private async table(): Promise<TcpSocketEntry[]> {
    return (await this.agent.get<Snapshot>(PATHS.tcp)).entries as TcpSocketEntry[];
  }
}
