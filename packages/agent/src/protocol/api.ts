/**
 * The agent's HTTP+JSON interface, shared by the agent (which serves it) and the test kit (which calls it).
 *
 * Every request carries `Authorization: Bearer <token>`. Bodies and answers are JSON. A failed socket call is
 * an answer, not a crash: status 422 with an {@link ApiError} whose `code` is the errno name (EADDRINUSE, ...).
 * A malformed request (or bytes that are not HTTP) gets 400, a missing or wrong token 401, an unknown path or id
 * 404, a body over 64 KiB 413, an Expect other than 100-continue 417, a head too large to parse 431: each with an
 * {@link ApiError} body. A 5xx is the agent's own failure (nft or tcpdump missing), never a request's.
 */
import type {
  Endpoint,
  StateChange,
  TcpSocketEntry,
  TcpState,
  TcpTimer,
} from '@sockspec/inspector';

export interface ApiError {
  readonly error: {
    /** errno name for socket failures (EADDRINUSE), otherwise a short word (bad-request, unauthorized, not-found). */
    readonly code: string;
    readonly message: string;
    readonly syscall?: string;
    readonly hint?: string;
  };
}

export interface AgentInfo {
  /** The kernel's release, as `uname -r` prints it. */
  readonly kernel: string;
  /** What `uname -a` prints of it: kernel name, host name, release, version and machine. */
  readonly uname: string;
  readonly hostname: string;
  readonly node: string;
  readonly pid: number;
  /**
   * CPU time (user + system, ms) the agent's process has spent since it became this target's: since it started, or
   * on a VM kernel since it was renewed for this target. What a target's sampling costs, for `npm run bench`.
   */
  readonly cpuMs?: number;
}

export type SocketFamily = 'ipv4' | 'ipv6';

export interface SocketOptions {
  readonly reuseAddr?: boolean;
  readonly reusePort?: boolean;
  /** IPV6_V6ONLY, for an IPv6 socket: on, it takes IPv6 peers only; off, IPv4 ones too (as ::ffff:a.b.c.d). */
  readonly v6Only?: boolean;
  readonly linger?: { readonly enabled: boolean; readonly seconds: number };
  /** SO_KEEPALIVE with TCP_KEEPIDLE, TCP_KEEPINTVL (seconds) and TCP_KEEPCNT. */
  readonly keepalive?: {
    readonly enabled: boolean;
    readonly idleSeconds: number;
    readonly intervalSeconds: number;
    readonly count: number;
  };
  /** TCP_USER_TIMEOUT in ms (0: the kernel's default, tcp_retries2). */
  readonly userTimeoutMs?: number;
}

export interface SocketStatus {
  readonly id: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly hangup: boolean;
  /** SO_ERROR as an errno name, when the kernel has one pending (a failed connect, a reset). */
  readonly pendingError: string | null;
  /** The inode /proc/net/tcp lists the socket under. */
  readonly inode: number;
  readonly local: Endpoint | null;
  readonly remote: Endpoint | null;
}

/** When a close() was called and when it returned, on the target's clock (epoch ms): how long it blocked. */
export interface CloseResult {
  readonly calledAt: number;
  readonly returnedAt: number;
}

export interface AcceptResult {
  /** The accepted socket's id, or null when the accept queue was empty. */
  readonly socket: number | null;
  readonly local?: Endpoint;
  readonly remote?: Endpoint;
}

export interface RecvResult {
  readonly text: string;
  readonly bytes: number;
  /** The peer's FIN was read. */
  readonly eof: boolean;
  /** Nothing to read yet. */
  readonly wouldBlock: boolean;
}

/** What the agent can start: the two minimal programs, the inspector CLI, or any command of the target's. */
export type ProgramName = 'server' | 'client' | 'inspect' | 'command';

export interface ProgramEvent {
  readonly event: string;
  readonly time: number;
  readonly [field: string]: unknown;
}

export interface ProgramExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly time: number;
}

export interface ProgramState {
  readonly id: number;
  readonly pid: number;
  readonly program: ProgramName;
  readonly args: readonly string[];
  /** Events after the `after` index asked for; `next` is the index to ask for next time. */
  readonly events: readonly ProgramEvent[];
  readonly next: number;
  readonly exit: ProgramExit | null;
  readonly stderr: string;
  readonly activity: TargetActivity;
}

/**
 * How much the target's processes have run or waited to run (cumulative ms), so that a wait on a program can tell a
 * slow machine (the numbers grow) from a hung program (they do not).
 */
export interface TargetActivity {
  /** This program: ms on a CPU plus ms queued for one; absent once it has exited. */
  readonly programMs?: number;
  /** Every running program of the target the same way, summed. */
  readonly targetMs: number;
  /** Whether one of the target's programs is on a CPU, queued for one, or waiting for a disk right now. */
  readonly busy: boolean;
  /** The kernel's load averages over 1, 5 and 15 minutes (in a container: the whole machine's). */
  readonly loadAverage: readonly [number, number, number];
}

/** What to look for in the socket table. Every field given must match. */
export interface SocketFilter {
  readonly state?: TcpState | readonly TcpState[];
  readonly localPort?: number;
  readonly remotePort?: number;
  readonly localAddress?: string;
  readonly remoteAddress?: string;
}

export interface Snapshot {
  /** When the read of the table ended. */
  readonly time: number;
  /** When it began, where the sampler kept it. */
  readonly start?: number;
  readonly entries: readonly TcpSocketEntry[];
}

export interface WaitRequest {
  readonly filter: SocketFilter;
  /** How many matching sockets are wanted (default 1). With `absent`, the wait ends when none match. */
  readonly count?: number;
  readonly absent?: boolean;
  readonly timeoutMs: number;
}

export interface WaitResult {
  readonly satisfied: boolean;
  /** Milliseconds from the request's arrival to the sample that satisfied it (or to the time-out). */
  readonly waitedMs: number;
  /** When the read of the table that answered ended (the target's clock, epoch ms). */
  readonly time: number;
  /**
   * When that read began: what it shows (a timer's time left) was so at some moment between `start` and `time`.
   * Absent on a time-out.
   */
  readonly start?: number;
  readonly entries: readonly TcpSocketEntry[];
  /**
   * How far the agent's sampler fell behind its schedule during the wait, in ms summed over its samples: a starved
   * agent (the machine overloaded) rather than a kernel slow to act.
   */
  readonly samplerLateMs?: number;
}

/** A state change the agent's sampler saw, numbered in the order it saw them. */
export interface TcpChange extends StateChange {
  readonly seq: number;
  /** When the read of the sample that showed the change began (`time` is when it ended). */
  readonly start?: number;
  /** The socket's timer as that sample showed it, unless the socket is gone: a reading of the kernel's deadline. */
  readonly timer?: TcpTimer;
}

export interface ChangesResult {
  readonly changes: readonly TcpChange[];
  readonly next: number;
}

/** A rule that drops chosen TCP segments on arrival (nftables, input hook). Needs NET_ADMIN in the target. */
export interface DropRule {
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  /** 'fin': segments carrying FIN; 'ack-only': segments whose only control flag is ACK; 'rst'; 'any'. */
  readonly segments: 'fin' | 'ack-only' | 'rst' | 'any';
}

export interface InstalledDropRule extends DropRule {
  readonly handle: number;
  /** Packets dropped so far by this rule. */
  readonly dropped: number;
}

/** The most one folder of files may hold: a project's sources with its node_modules (a larger one ships as an image). */
export const MAX_FOLDER_BYTES = 200 * 1024 * 1024;

/**
 * Files handed to a target (a project's folder, for `run(command, { files })`): POST PATHS.files makes a fresh,
 * empty folder in the target and answers its id and path; batches of files are then written into it, each batch
 * under the body limit (a file over it goes in pieces, the later ones with `append`).
 */
export interface FilesCreated {
  readonly id: number;
  /** The folder's absolute path in the target: a program's `cwd`. */
  readonly dir: string;
}

export interface FileBatch {
  readonly files: readonly FilePiece[];
}

export interface FilePiece {
  /** Relative to the folder, `/`-separated; no `..`, not absolute. */
  readonly path: string;
  /** The bytes, base64. */
  readonly data: string;
  /** Permission bits (0o755 for an executable); default 0o644. */
  readonly mode?: number;
  /** Adds to the file instead of creating it. */
  readonly append?: boolean;
}
