import { spawn, type ChildProcess } from 'node:child_process';
import type { ProgramEvent, ProgramExit, ProgramName, ProgramState } from './api';
import { badRequest, notFound } from './http-error';

/** Where each program's entry point lives, resolved through node's module resolution (works in the image and in the repo). */
const PROGRAM_SCRIPTS: Readonly<Record<ProgramName, string>> = {
  server: '@sockspec/sockets/dist/server-main.js',
  client: '@sockspec/sockets/dist/client-main.js',
  inspect: '@sockspec/inspector/dist/inspect-main.js',
};

const MAX_STDERR = 64 * 1024;

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

  /** Starts a program; with `uid`, as that user and group id (the target needs SETUID and SETGID for it). */
  start(program: ProgramName, args: readonly string[], uid?: number): { id: number; pid: number } {
    const script = require.resolve(PROGRAM_SCRIPTS[program]);
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
    if (child.pid === undefined) throw badRequest(`could not start ${program}`);
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
