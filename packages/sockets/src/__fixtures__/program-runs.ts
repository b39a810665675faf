import { pollUntil } from '@sockspec/test-support';
import type { ProgramEvent } from '../program-events';
import type { ProgramImplementation, RunningProgram } from './running-program';

/** The programs' events arrive on their own loops: wait up to 3 s for the ones a test expects. */
export function eventually(check: () => boolean): Promise<boolean> {
  return pollUntil(check, { timeoutMs: 3_000, intervalMs: 10 });
}

/** The events of one name, in order. */
export function named(events: readonly ProgramEvent[], name: string): ProgramEvent[] {
  return events.filter((event) => event.event === name);
}

/** How a test starts an implementation's programs; each is stopped (SIGTERM) and waited for after its test. */
export interface ProgramRuns {
  start(kind: 'server' | 'client', argv: readonly string[]): RunningProgram;
  /** A server on `address` with an ephemeral port and backlog 2, once it listens: it and its port. */
  server(
    flags?: readonly string[],
    address?: string,
  ): Promise<{ program: RunningProgram; port: number }>;
}

/** For a describe block: starts `programs`' server and client from command lines, and stops them after each test. */
export function programRuns(programs: ProgramImplementation): ProgramRuns {
  const running: RunningProgram[] = [];
  afterEach(async () => {
    for (const program of running.splice(0)) {
      program.signal('SIGTERM');
      await program.done;
    }
  });
  const start = (kind: 'server' | 'client', argv: readonly string[]): RunningProgram => {
    const program = programs[kind](argv);
    running.push(program);
    return program;
  };
  return {
    start,
    async server(flags = [], address = '127.0.0.1') {
      const program = start('server', ['0', address, ...flags]);
      await eventually(() => program.events.length > 0);
      const [listening] = program.events;
      expect(listening).toMatchObject({
        event: 'listening',
        address,
        backlog: 2,
        pid: expect.any(Number),
      });
      return { program, port: listening?.port as number };
    },
  };
}
