import { describeFilter, type SocketFilter } from '@sockspec/agent/protocol';
import { formatTable, type TcpSocketEntry } from '@sockspec/inspector';

/** Sampler lateness beyond which a timed-out wait says the harness may be to blame. */
const STARVED_MS = 1_000;

/**
 * A wait for a socket state that the kernel did not satisfy in time; says what the table held instead, and when the
 * agent's sampler fell behind meanwhile (an overloaded machine), says that too.
 */
export class StateWaitTimeout extends Error {
  constructor(
    readonly filter: SocketFilter,
    readonly wanted: string,
    readonly timeoutMs: number,
    readonly table: readonly TcpSocketEntry[],
    /** How far the agent's sampler fell behind during the wait (ms). */
    readonly samplerLateMs = 0,
    /** A line per program started in the target: its state and its last events. */
    readonly programs = '',
  ) {
    super(
      `waited ${timeoutMs} ms for ${wanted} (${describeFilter(filter)})` +
        (samplerLateMs > STARVED_MS
          ? `; the agent's sampler fell ${samplerLateMs} ms behind meanwhile (the wait was given that time ` +
            'back, up to its length): the machine was overloaded, so this may be the harness, not the kernel'
          : '') +
        `; the target's TCP table was:\n${formatTable(table)}` +
        (programs === '' ? '' : `\nand its programs said, last:\n${programs}`),
    );
    this.name = 'StateWaitTimeout';
  }
}
