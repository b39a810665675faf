import { describeFilter, type SocketFilter } from '@sockspec/agent';
import { formatTable, type TcpSocketEntry } from '@sockspec/inspector';

/** A wait for a socket state that the kernel did not satisfy in time; says what the table held instead. */
export class StateWaitTimeout extends Error {
  constructor(
    readonly filter: SocketFilter,
    readonly wanted: string,
    readonly timeoutMs: number,
    readonly table: readonly TcpSocketEntry[],
  ) {
    super(
      `waited ${timeoutMs} ms for ${wanted} (${describeFilter(filter)}); the target's TCP table was:\n` +
        formatTable(table),
    );
    this.name = 'StateWaitTimeout';
  }
}
