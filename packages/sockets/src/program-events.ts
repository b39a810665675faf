import type { SocketAddress } from './sockaddr';
import type { SocketError } from './socket-error';

/** One line of a program's output: an event name, the time, and what happened. */
export interface ProgramEvent {
  readonly event: string;
  readonly time: number;
  readonly [field: string]: unknown;
}

export type Emit = (event: ProgramEvent) => void;

/** A running program loop: `stop()` closes everything it holds; `done` resolves with the exit code. */
export interface ProgramHandle {
  stop(signal?: string): void;
  readonly done: Promise<number>;
}

/** How a program's loop runs, from its environment (see program-config.ts), apart from its options. */
export interface ProgramSettings {
  /** Wake the loop this often even with nothing ready; undefined: sleep until a socket is ready. */
  readonly wakeEveryMs?: number;
}

export function event(name: string, fields: Record<string, unknown> = {}): ProgramEvent {
  return { event: name, time: Date.now(), ...fields };
}

export function errorEvent(error: unknown, fields: Record<string, unknown> = {}): ProgramEvent {
  const socketError = error as Partial<SocketError>;
  return event('error', {
    ...fields,
    syscall: socketError.syscall ?? 'unknown',
    code: socketError.code ?? 'EUNKNOWN',
    message: error instanceof Error ? error.message : String(error),
    ...(socketError.hint === undefined ? {} : { hint: socketError.hint }),
  });
}

export function endpoint(address: SocketAddress): SocketAddress {
  return { address: address.address, port: address.port };
}

/** Writes each event as one JSON line on stdout, as it happens. */
export const printEvent: Emit = (e) => {
  process.stdout.write(`${JSON.stringify(e)}\n`);
};
