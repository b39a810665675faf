import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseProcNetTcpBytes } from './parse-proc-net-tcp';
import type { TcpSocketEntry } from './tcp-socket-entry';

export interface ReadOptions {
  /** Where procfs is mounted (default /proc). */
  readonly procRoot?: string;
  /** Read this process's network namespace (/proc/PID/net) instead of the caller's. */
  readonly pid?: number;
  /** Which tables to read (default both): each read walks the kernel's whole hash table, so skip what is empty. */
  readonly families?: readonly ('ipv4' | 'ipv6')[];
}

function netDir(options: ReadOptions): string {
  const root = options.procRoot ?? '/proc';
  return options.pid === undefined ? `${root}/net` : `${root}/${options.pid}/net`;
}

/**
 * The kernel fills /proc/net/tcp through seq_file: each read() resumes the walk of the socket hash table at an
 * offset, so when other sockets come and go between two reads an entry can be listed twice or skipped. One large
 * read() per file keeps the walk in one piece; what the kernel still lists twice (same socket, same inode) is
 * dropped by uniqueEntries.
 */
let readBuffer = Buffer.alloc(1 << 20);

/** The file's bytes, parsed where they were read to: valid until the next read. */
function readProcFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === readBuffer.length) {
        const bigger = Buffer.alloc(readBuffer.length * 2);
        readBuffer.copy(bigger);
        readBuffer = bigger;
      }
      const read = readSync(fd, readBuffer, length, readBuffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return readBuffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function sameSocket(a: TcpSocketEntry, b: TcpSocketEntry): boolean {
  return (
    a.family === b.family &&
    a.state === b.state &&
    a.local.address === b.local.address &&
    a.local.port === b.local.port &&
    a.remote.address === b.remote.address &&
    a.remote.port === b.remote.port &&
    a.inode === b.inode
  );
}

/**
 * Drops entries the kernel listed twice in one read: same family, state, endpoints and inode. Sockets with an inode
 * are looked up by it (a number); the inode-less ones (TIME_WAIT, NEW_SYN_RECV) by all their fields as text.
 */
export function uniqueEntries(entries: readonly TcpSocketEntry[]): TcpSocketEntry[] {
  const byInode = new Map<number, TcpSocketEntry | TcpSocketEntry[]>();
  const seenWithoutInode = new Set<string>();
  const unique: TcpSocketEntry[] = [];
  for (const entry of entries) {
    if (entry.inode === 0) {
      const key = `${entry.family} ${entry.state} ${entry.local.address} ${entry.local.port} ${entry.remote.address} ${entry.remote.port}`;
      if (seenWithoutInode.has(key)) continue;
      seenWithoutInode.add(key);
    } else {
      const seen = byInode.get(entry.inode);
      if (seen === undefined) byInode.set(entry.inode, entry);
      else if (Array.isArray(seen)) {
        if (seen.some((other) => sameSocket(other, entry))) continue;
        seen.push(entry);
      } else {
        if (sameSocket(seen, entry)) continue;
        byInode.set(entry.inode, [seen, entry]);
      }
    }
    unique.push(entry);
  }
  return unique;
}

const NOTHING = Buffer.alloc(0);

function missingIsEmpty(error: unknown): Buffer {
  // A kernel without IPv6 has no tcp6 file.
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NOTHING;
  throw error;
}

/** The kernel's TCP table now: IPv4 then IPv6 sockets of one network namespace. */
export function readTcpSocketsSync(options: ReadOptions = {}): TcpSocketEntry[] {
  const dir = netDir(options);
  const read = (name: string, family: 'ipv4' | 'ipv6'): TcpSocketEntry[] => {
    let bytes: Buffer;
    try {
      bytes = readProcFile(`${dir}/${name}`);
    } catch (error) {
      bytes = missingIsEmpty(error);
    }
    return parseProcNetTcpBytes(bytes, family).entries;
  };
  const families = options.families ?? ['ipv4', 'ipv6'];
  const entries = families.includes('ipv4') ? read('tcp', 'ipv4') : [];
  if (families.includes('ipv6')) for (const entry of read('tcp6', 'ipv6')) entries.push(entry);
  return uniqueEntries(entries);
}

/**
 * How many IPv6 TCP sockets the namespace holds, not counting TIME_WAIT entries (/proc/net/sockstat6's `TCP6: inuse`,
 * which costs no walk of the hash table); 0 where the kernel has no IPv6.
 */
export function tcp6InUse(options: Omit<ReadOptions, 'families'> = {}): number {
  try {
    const text = readFileSync(`${netDir(options)}/sockstat6`, 'utf8');
    return Number(/^TCP6: inuse (\d+)/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export async function readTcpSockets(options: ReadOptions = {}): Promise<TcpSocketEntry[]> {
  const dir = netDir(options);
  const [tcp, tcp6] = await Promise.all(
    ['tcp', 'tcp6'].map((name) => readFile(`${dir}/${name}`).catch(missingIsEmpty)),
  );
  return uniqueEntries([
    ...parseProcNetTcpBytes(tcp ?? NOTHING, 'ipv4').entries,
    ...parseProcNetTcpBytes(tcp6 ?? NOTHING, 'ipv6').entries,
  ]);
}
