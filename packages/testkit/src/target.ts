import type {
  AgentInfo,
  ChangesResult,
  InstalledDropRule,
  DropRule,
  SocketFamily,
  SocketFilter,
  WaitResult,
} from '@sockspec/agent/protocol';
import type { TcpSocketEntry } from '@sockspec/inspector';
import type { AgentClient } from './agent-client';
import type { PacketCapture } from './packet-capture';
import type { RemoteProgram } from './remote-program';
import type { RemoteSocket } from './remote-socket';

/** What a wait for a socket state gives back: the matching sockets and how long the kernel took, measured in the target. */
export interface StateWait {
  readonly entries: readonly TcpSocketEntry[];
  /** Milliseconds from the request's arrival in the target to the first sample that satisfied it. */
  readonly waitedMs: number;
  /** The target's clock (epoch ms) at that sample. */
  readonly time: number;
}

export interface WaitOptions {
  /** How many matching sockets to wait for (default 1). */
  readonly count?: number;
  readonly timeoutMs?: number;
}

/** How `Target.run` starts a command. */
export interface RunOptions {
  /** Another user id (the target needs the SETUID and SETGID capabilities for it). */
  readonly uid?: number;
  /**
   * A folder of this machine (`'.'`: the project) copied into a fresh folder of the target, without node_modules
   * and .git; the command runs in it. At most MAX_FOLDER_BYTES (200 MiB), else a FolderTooLarge.
   */
  readonly files?: string;
  /** With `files`: node_modules goes along too, for a Node program with dependencies. */
  readonly nodeModules?: boolean;
  /** The folder of the target the command runs in (with `files`: a folder inside the copy, relative to it). */
  readonly cwd?: string;
}

/**
 * A real Linux kernel with the sockspec agent in it: a container, or a network namespace on a kernel booted in a VM.
 * Specs talk to targets only through this interface, so the same spec runs on any kind.
 */
export interface Target extends AsyncDisposable {
  /** `container:<short id>` or `vm:<kernel>`. */
  readonly name: string;
  readonly kind: 'container' | 'vm';
  readonly agent: AgentClient;
  /** Its address on the network it was started on (`startTarget({ network })`), if any. */
  readonly networkAddress?: string;

  info(): Promise<AgentInfo>;
  /** A new non-blocking TCP socket in the target. */
  socket(family?: SocketFamily): Promise<RemoteSocket>;
  /** Starts `sockspec-server <args>` in the target and waits for its `listening` (or `error`) event. */
  startServer(args: readonly string[]): Promise<RemoteProgram>;
  /** Starts `sockspec-client <args>` in the target. */
  startClient(args: readonly string[]): Promise<RemoteProgram>;
  /**
   * Starts either program without waiting for anything, optionally as another user id (the target needs the
   * SETUID and SETGID capabilities for that); the caller reads its events.
   */
  startProgram(
    program: 'server' | 'client',
    args: readonly string[],
    options?: { readonly uid?: number },
  ): Promise<RemoteProgram>;
  /**
   * Starts any command of the target's (`['node', 'server.js']`); each line it prints is an event: a JSON object
   * with an `event` field as it is, any other line as `{ event: 'output', text }`. With `files`, the project's
   * own server: `run(['node', 'server.js', '--port', '8080'], { files: '.' })`.
   */
  run(command: readonly string[], options?: RunOptions): Promise<RemoteProgram>;
  /** The kernel's TCP table now, optionally filtered. */
  sockets(filter?: SocketFilter): Promise<TcpSocketEntry[]>;
  /**
   * Waits until at least `count` sockets match, and answers with them and the target's clock at the sample that
   * showed them (`timeoutMs: 0`: a reading now, which must show them); throws StateWaitTimeout naming what was there
   * instead.
   */
  waitForState(filter: SocketFilter, options?: WaitOptions): Promise<StateWait>;
  /** Waits until no socket matches. */
  waitForAbsence(
    filter: SocketFilter,
    options?: { readonly timeoutMs?: number },
  ): Promise<StateWait>;
  /** Whether a wait was satisfied, without throwing: for "this must NOT happen within N ms". */
  tryWait(
    filter: SocketFilter,
    options: WaitOptions & { readonly absent?: boolean },
  ): Promise<WaitResult>;
  /** State changes the target's sampler recorded, from sequence number `after` on. */
  changes(after?: number): Promise<ChangesResult>;
  sysctl(name: string): Promise<string | undefined>;
  /** Several sysctls in one request; a name the kernel does not have reads as undefined. */
  sysctls(names: readonly string[]): Promise<Readonly<Record<string, string | undefined>>>;
  /** TcpExt counters of the target's network namespace (ListenOverflows, ListenDrops, TW, ...). */
  counters(): Promise<Record<string, number>>;
  /** Drops chosen segments on arrival (needs the NET_ADMIN capability). */
  dropSegments(rule: DropRule): Promise<InstalledDropRule>;
  /** Packets each installed drop rule has dropped so far. */
  dropRules(): Promise<InstalledDropRule[]>;
  removeDropRule(handle: number): Promise<void>;
  /** Starts tcpdump on the target's loopback for one port (needs NET_RAW); resolves once it listens. */
  capture(port: number): Promise<PacketCapture>;
  /** Ends the target and removes everything it made. */
  stop(): Promise<void>;
}
