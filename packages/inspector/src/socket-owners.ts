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
    if (!isPid(name)) continue;
    const pid = Number(name);
    const fdDir = `${procRoot}/${name}/fd/`;
    let fds: string[];
    try {
      fds = readdirSync(fdDir);
    } catch {
      continue;
    }
    let command: string | undefined;
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(fdDir + fd);
      } catch {
        continue;
      }
      if (!link.startsWith('socket:[')) continue;
      const inode = Number(link.slice(8, -1));
      command ??= readCommand(procRoot, name);
      const list = owners.get(inode);
      if (list === undefined) owners.set(inode, [{ pid, command }]);
      else if (!list.some((owner) => owner.pid === pid)) list.push({ pid, command });
    }
  }
  return owners;
}

/** A directory name of /proc that is a process id: digits only. */
function isPid(name: string): boolean {
  for (let i = 0; i < name.length; i += 1) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return name.length > 0;
}

function readCommand(procRoot: string, pid: string): string {
  try {
    return readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
