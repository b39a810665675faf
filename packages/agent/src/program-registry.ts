import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  isBusyState,
  readLoadAverage,
  readProcessWork,
  type ProcessWork,
} from '@sockspec/inspector';
import type {
  ProgramEvent,
  ProgramExit,
  ProgramName,
  ProgramState,
  TargetActivity,
} from './protocol';
import { HttpError, badRequest, notFound } from './http-error';

/** Where each program's entry point lives, resolved through node's module resolution (works in the image and in the repo). */
const PROGRAM_SCRIPTS: Readonly<Record<Exclude<ProgramName, 'command'>, string>> = {
  server: '@sockspec/sockets/dist/server-main.js',
  client: '@sockspec/sockets/dist/client-main.js',
  inspect: '@sockspec/inspector/dist/inspect-main.js',
};

/**
 * The C builds of the two programs, beside their scripts in dist/native where the target image built them
 * (packages/sockets/native): the same command line and events, started in milliseconds where a Node start costs
 * seconds (an emulated VM kernel). Absent (on the host), the Node programs run.
 */
const NATIVE_PROGRAMS: Readonly<Record<'server' | 'client', string>> = {
  server: 'sockspec-server',
  client: 'sockspec-client',
};

const MAX_STDERR = 64 * 1024;

/** The command line that starts one of the programs: its native build if there is one, else Node with its script. */
function programCommand(
  program: Exclude<ProgramName, 'command'>,
  args: readonly string[],
): string[] {
  const script = require.resolve(PROGRAM_SCRIPTS[program]);
  if (program === 'server' || program === 'client') {
    const native = join(dirname(script), 'native', NATIVE_PROGRAMS[program]);
    if (isExecutable(native)) return [native, ...args];
  }
  return [process.execPath, script, ...args];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface RunningProgram {
  readonly id: number;
  readonly program: ProgramName;
  readonly args: readonly string[];
  readonly child: ChildProcess;
  readonly events: ProgramEvent[];
  stderr: string;
  exit: ProgramExit | null;
  readonly waiters: Set<() => void>;
}

/** The programs the agent started, their JSON event lines and their exit, by id. */
export class ProgramRegistry {
  private readonly programs = new Map<number, RunningProgram>();
  private nextId = 1;

  /** `onExit` is told whenever a program ends (its sockets close with it). */
  constructor(private readonly onExit: () => void = () => undefined) {}

  /** Whether any program still runs. */
  anyRunning(): boolean {
    return [...this.programs.values()].some((running) => running.exit === null);
  }

  /**
   * Starts one of the programs, or any command of the target's (`program: 'command'`, the command line in `args`);
   * with `uid`, as that user and group id (the target needs SETUID and SETGID for it); with `cwd`, in that folder
   * (one of handed-over files). Answers once the process runs; a command that cannot be started (ENOENT, EACCES) is a 422 with its errno name.
   */
  async start(
    program: ProgramName,
    args: readonly string[],
    uid?: number,
    cwd?: string,
  ): Promise<{ id: number; pid: number }> {
    const [file, ...rest] = program === 'command' ? args : programCommand(program, args);
    if (file === undefined)
      throw badRequest("a 'command' program needs its command line in 'args'");
    const child = spawn(file, rest, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid: uid }),
      ...(cwd === undefined ? {} : { cwd }),
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? 'EIO';
        reject(
          new HttpError(
            422,
            code,
            `could not start ${file}${cwd === undefined ? '' : ` in ${cwd}`}: ${code}. Hint: the command (and its folder) must exist in the target and be executable there`,
          ),
        );
      });
    });
    if (child.pid === undefined) throw badRequest(`could not start ${file}`);
    const running: RunningProgram = {
      id: this.nextId++,
      program,
      args,
      child,
      events: [],
      stderr: '',
      exit: null,
      waiters: new Set(),
    };
    this.programs.set(running.id, running);
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) running.events.push(parseEventLine(line));
      wake(running);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      running.stderr = (running.stderr + chunk).slice(-MAX_STDERR);
    });
    child.on('close', (code, signal) => {
      if (pending.trim() !== '') running.events.push(parseEventLine(pending));
      running.exit = { code, signal, time: Date.now() };
      wake(running);
      this.onExit();
    });
    return { id: running.id, pid: child.pid };
  }

  /** The events after index `after`; waits up to `waitMs` for one to arrive (or for the exit) when there are none. */
  async state(id: number, after: number, waitMs: number): Promise<ProgramState> {
    const running = this.get(id);
    if (running.events.length <= after && running.exit === null && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          running.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        running.waiters.add(done);
      });
    }
    return {
      id,
      pid: running.child.pid ?? -1,
      program: running.program,
      args: running.args,
      events: running.events.slice(after),
      next: running.events.length,
      exit: running.exit,
      stderr: running.stderr,
      activity: this.activity(running),
    };
  }

  /**
   * How much the target's processes ran or queued for a CPU: a wait on a program that sees this grow is waiting
   * on a slow machine, not on a hung program.
   */
  private activity(asked: RunningProgram): TargetActivity {
    let targetMs = 0;
    let busy = false;
    let programMs: number | undefined;
    for (const running of this.programs.values()) {
      if (running.exit !== null || running.child.pid === undefined) continue;
      const work: ProcessWork | undefined = readProcessWork(running.child.pid);
      if (work === undefined) continue;
      targetMs += work.cpuMs + work.queuedMs;
      busy ||= isBusyState(work.state);
      if (running === asked) programMs = work.cpuMs + work.queuedMs;
    }
    return {
      ...(programMs === undefined ? {} : { programMs: round(programMs) }),
      targetMs: round(targetMs),
      busy,
      loadAverage: readLoadAverage() ?? [0, 0, 0],
    };
  }

  signal(id: number, signal: NodeJS.Signals): void {
    const running = this.get(id);
    if (running.exit === null) running.child.kill(signal);
  }

  stopAll(): void {
    for (const running of this.programs.values()) {
      if (running.exit === null) running.child.kill('SIGKILL');
    }
  }

  private get(id: number): RunningProgram {
    const running = this.programs.get(id);
    if (running === undefined) throw notFound(`no program ${id}`);
    return running;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function wake(running: RunningProgram): void {
  for (const waiter of [...running.waiters]) waiter();
}

/** A line that is not a JSON event (a stray print) is kept as an `output` event rather than lost. */
function parseEventLine(line: string): ProgramEvent {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'event' in parsed) {
      return parsed as ProgramEvent;
    }
  } catch {
    // fall through
  }
  return { event: 'output', time: Date.now(), text: line };
}
