import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PATHS, type NamespaceCreated, type NamespaceRequest } from '../protocol';
import { HttpError, notFound } from '../http-error';
import { setNamespaceSysctls } from './namespace-sysctls';

/** Where the agents' Unix sockets live. */
const SOCKET_DIR = '/run/sockspec';
/** How long an agent may take to say it listens; under TCG a Node start takes 2 to 4 s, more when others start too. */
const AGENT_START_MS = 120_000;
/** The most agents kept waiting for a target: beyond them, an ended target's agent exits. */
const MAX_IDLE = 24;

/** One agent in a network namespace of its own (the namespace lives as long as the agent's process group). */
interface Namespace {
  readonly id: number;
  readonly token: string;
  readonly socketPath: string;
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
}

/**
 * The targets of a VM kernel: each a network namespace made by `unshare --net`, with loopback up and an agent
 * listening on a Unix socket (reachable from the supervisor whatever the namespace). A few agents are started
 * ahead, so that a target costs its sysctls rather than a Node start; an ended target's agent is renewed (its
 * programs and sockets ended, itself moved to a fresh namespace) and waits for the next target, since under
 * emulation a Node start costs seconds of CPU. A renewed agent's earlier namespaces live on, empty, until it exits.
 */
export class NamespacePool {
  private readonly live = new Map<number, Namespace>();
  private readonly spares: Namespace[] = [];
  private nextId = 1;

  constructor(
    private readonly agentMain: string,
    private readonly spareCount: number,
  ) {
    mkdirSync(SOCKET_DIR, { recursive: true });
    this.refill();
  }

  get sizes(): { namespaces: number; spares: number } {
    return { namespaces: this.live.size, spares: this.spares.length };
  }

  /** A new target: a spare agent (or a new one), its sysctls set and checked in its namespace. */
  async create(request: NamespaceRequest): Promise<NamespaceCreated> {
    const namespace = this.spares.shift() ?? this.start();
    this.refill();
    this.live.set(namespace.id, namespace);
    try {
      await namespace.ready;
      const pid = namespace.process.pid ?? -1;
      const { applied, skipped } = await setNamespaceSysctls(
        pid,
        request.sysctls ?? {},
        request.sysctlsIfPresent ?? {},
      );
      return { id: namespace.id, token: namespace.token, pid, applied, skipped };
    } catch (error) {
      this.remove(namespace.id);
      throw error;
    }
  }

  /** The agent's socket of a live target. */
  socketOf(id: number): string | undefined {
    return this.live.get(id)?.socketPath;
  }

  pidOf(id: number): number {
    const pid = this.live.get(id)?.process.pid;
    if (pid === undefined) throw notFound(`no target ${id} on this kernel`);
    return pid;
  }

  /**
   * Ends a target: its agent renewed for the next one (its programs, tcpdump and sockets ended, itself in a fresh
   * namespace), or, when that fails or enough agents wait already, its whole process group killed.
   */
  remove(id: number): void {
    const namespace = this.live.get(id);
    if (namespace === undefined) throw notFound(`no target ${id} on this kernel`);
    this.live.delete(id);
    void this.recycle(namespace);
  }

  private async recycle(namespace: Namespace): Promise<void> {
    if (this.spares.length >= MAX_IDLE) return kill(namespace);
    const token = randomBytes(24).toString('hex');
    try {
      await askAgent(namespace.socketPath, namespace.token, PATHS.renew, { token });
    } catch {
      return kill(namespace);
    }
    this.spares.push({ ...namespace, id: this.nextId++, token });
  }

  removeAll(): void {
    for (const namespace of [...this.live.values(), ...this.spares]) kill(namespace);
    this.live.clear();
    this.spares.length = 0;
  }

  private refill(): void {
    while (this.spares.length < this.spareCount) this.spares.push(this.start());
  }

  private start(): Namespace {
    const id = this.nextId++;
    const token = randomBytes(24).toString('hex');
    const socketPath = join(SOCKET_DIR, `${id}.sock`);
    rmSync(socketPath, { force: true });
    // unshare makes the namespace and execs the shell, which execs node: the agent keeps unshare's pid.
    const child = spawn(
      'unshare',
      ['--net', '--', 'sh', '-c', `ip link set lo up && exec node ${this.agentMain}`],
      {
        env: { ...process.env, SOCKSPEC_AGENT_TOKEN: token, SOCKSPEC_AGENT_SOCKET: socketPath },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2048);
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new HttpError(500, 'agent-start', `the agent of target ${id} did not start`)),
        AGENT_START_MS,
      );
      if (child.stdout !== null) {
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (line.includes('"agent-listening"')) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new HttpError(
            500,
            'agent-start',
            `the agent of target ${id} ended (${code ?? signal}): ${stderr}`,
          ),
        );
      });
    });
    // A spare that fails is noticed when it is taken; until then its rejection is not unhandled.
    ready.catch(() => undefined);
    return { id, token, socketPath, process: child, ready };
  }
}

/** One request to an agent on its Unix socket; resolves on a 200 answer. */
function askAgent(socketPath: string, token: string, path: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const call = httpRequest(
      {
        socketPath,
        path,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (answer) => {
        answer.resume();
        if (answer.statusCode === 200) resolve();
        else reject(new Error(`${path}: ${answer.statusCode ?? 0}`));
      },
    );
    call.on('error', reject);
    call.end(text);
  });
}

function kill(namespace: Namespace): void {
  try {
    if (namespace.process.pid !== undefined) process.kill(-namespace.process.pid, 'SIGKILL');
  } catch {
    // gone already
  }
  rmSync(namespace.socketPath, { force: true });
}
