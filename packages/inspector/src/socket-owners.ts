import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface SocketOwner {
  readonly pid: number;
  readonly command: string;
}

/**
 * Which processes hold each socket inode, found through the `socket:[INODE]` links in /proc/PID/fd. Processes
 * that vanish mid-scan or that we may not look into are skipped.
 */
export function socketOwners(procRoot = '/proc'): Map<number, SocketOwner[]> {
  const owners = new Map<number, SocketOwner[]>();
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${name}/fd`);
    } catch {
      continue;
    }
    let command: string | undefined;
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${procRoot}/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!link.startsWith('socket:[')) continue;
      const inode = Number(link.slice(8, -1));
      command ??= readCommand(procRoot, name);
      const list = owners.get(inode) ?? [];
      if (!list.some((owner) => owner.pid === pid)) list.push({ pid, command });
      owners.set(inode, list);
    }
  }
  return owners;
}

function readCommand(procRoot: string, pid: string): string {
  try {
    return readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
