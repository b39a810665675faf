import type { Endpoint, TcpSocketEntry } from './tcp-socket-entry';

export interface TableOptions {
  /** Owners of each inode, for a Process column (see socketOwners). */
  readonly owners?: ReadonlyMap<
    number,
    readonly { readonly pid: number; readonly command: string }[]
  >;
}

function endpointText({ address, port }: Endpoint): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `${host}:${port === 0 ? '*' : port}`;
}

function timerText(entry: TcpSocketEntry): string {
  if (entry.timer.kind === 'none') return '';
  const seconds = entry.timer.remainingMs / 1000;
  const left = seconds >= 1 ? `${Math.round(seconds)}sec` : `${entry.timer.remainingMs}ms`;
  return `timer:(${entry.timer.kind},${left},${entry.retransmits})`;
}

/** An `ss -tan -o`-like table: State, Recv-Q, Send-Q, local and peer address, timer (and process). Pure. */
export function formatTable(
  entries: readonly TcpSocketEntry[],
  options: TableOptions = {},
): string {
  const header = ['State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port', 'Timer'];
  if (options.owners !== undefined) header.push('Process');
  const rows = entries.map((entry) => {
    const row = [
      entry.state,
      String(entry.rxQueue),
      String(entry.txQueue),
      endpointText(entry.local),
      endpointText(entry.remote),
      timerText(entry),
    ];
    if (options.owners !== undefined) {
      const owners = options.owners.get(entry.inode) ?? [];
      row.push(owners.map((owner) => `${owner.command}(${owner.pid})`).join(','));
    }
    return row;
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) =>
        column === 1 || column === 2
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
