import { spawn } from 'node:child_process';
import { parseClientArgs } from '../client-options';
import { runClient } from '../client';
import type { Emit, ProgramEvent, ProgramHandle, ProgramSettings } from '../program-events';
import { runServer } from '../server';
import { parseServerArgs, type OptionsResult } from '../server-options';

/** A program started from a command line: its events as they arrive, its exit code, and a way to signal it. */
export interface RunningProgram {
  readonly events: ProgramEvent[];
  readonly done: Promise<number>;
  signal(signal: 'SIGTERM' | 'SIGINT'): void;
}

/** One implementation of the two programs, started from the same command lines. */
export interface ProgramImplementation {
  readonly name: string;
  server(argv: readonly string[]): RunningProgram;
  client(argv: readonly string[]): RunningProgram;
}

/** Events as the agent gets them: one JSON line each. */
function asLine(event: ProgramEvent): ProgramEvent {
  return JSON.parse(JSON.stringify(event)) as ProgramEvent;
}

function inProcess<T>(
  parse: (argv: readonly string[]) => OptionsResult<T>,
  run: (options: T, emit: Emit, settings: ProgramSettings) => ProgramHandle,
): (argv: readonly string[]) => RunningProgram {
  return (argv) => {
    const parsed = parse(argv);
    if (parsed.ok !== true) throw new Error(`not a command line to run: ${JSON.stringify(argv)}`);
    const events: ProgramEvent[] = [];
    const handle = run(parsed.options, (event) => events.push(asLine(event)), {});
    return { events, done: handle.done, signal: (signal) => handle.stop(signal) };
  };
}

/** The Node programs' loops in this process, from the command line their mains would parse. */
export const NODE_PROGRAMS: ProgramImplementation = {
  name: 'node',
  server: inProcess(parseServerArgs, runServer),
  client: inProcess(parseClientArgs, runClient),
};

/** A program as a process of its own, its stdout read as JSON lines. */
export function spawnProgram(file: string, argv: readonly string[]): RunningProgram {
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const events: ProgramEvent[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) events.push(JSON.parse(line) as ProgramEvent);
  });
  const done = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal === null ? -1 : 128)));
  });
  return { events, done, signal: (signal) => child.kill(signal) };
}
