import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseProcNetTcp } from './parse-proc-net-tcp';
import type { TcpSocketEntry } from './tcp-socket-entry';

export interface ReadOptions {
  /** Where procfs is mounted (default /proc). */
  readonly procRoot?: string;
  /** Read this process's network namespace (/proc/PID/net) instead of the caller's. */
  readonly pid?: number;
}

function netDir(options: ReadOptions): string {
  const root = options.procRoot ?? '/proc';
  return options.pid === undefined ? `${root}/net` : `${root}/${options.pid}/net`;
}

function missingIsEmpty(error: unknown): string {
  // A kernel without IPv6 has no tcp6 file.
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
  throw error;
}

/** The kernel's TCP table now: IPv4 then IPv6 sockets of one network namespace. */
export function readTcpSocketsSync(options: ReadOptions = {}): TcpSocketEntry[] {
  const dir = netDir(options);
  const read = (name: string): string => {
    try {
      return readFileSync(`${dir}/${name}`, 'latin1');
    } catch (error) {
      return missingIsEmpty(error);
    }
  };
  return [
    ...parseProcNetTcp(read('tcp'), 'ipv4').entries,
    ...parseProcNetTcp(read('tcp6'), 'ipv6').entries,
  ];
}

export async function readTcpSockets(options: ReadOptions = {}): Promise<TcpSocketEntry[]> {
  const dir = netDir(options);
  const [tcp, tcp6] = await Promise.all(
    ['tcp', 'tcp6'].map((name) => readFile(`${dir}/${name}`, 'latin1').catch(missingIsEmpty)),
  );
  return [
    ...parseProcNetTcp(tcp ?? '', 'ipv4').entries,
    ...parseProcNetTcp(tcp6 ?? '', 'ipv6').entries,
  ];
}
