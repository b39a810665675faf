import { readFileSync, readdirSync } from 'node:fs';

/** The TCP sysctls these scenarios touch. */
export const TCP_SYSCTLS = [
  'net.ipv4.tcp_fin_timeout',
  'net.core.somaxconn',
  'net.ipv4.tcp_max_syn_backlog',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_syn_retries',
  'net.ipv4.tcp_synack_retries',
  'net.ipv4.tcp_tw_reuse',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_abort_on_overflow',
  'net.ipv4.tcp_migrate_req',
  'net.ipv4.tcp_orphan_retries',
  'net.ipv4.tcp_max_tw_buckets',
] as const;

/** `net.ipv4.tcp_fin_timeout` -> `/proc/sys/net/ipv4/tcp_fin_timeout`. */
export function sysctlPath(name: string, procRoot = '/proc'): string {
  return `${procRoot}/sys/${name.replace(/\./g, '/')}`;
}

/**
 * A sysctl's value as text (tabs between several values kept); undefined when this kernel has no such sysctl
 * (nothing at its path, or a sysctl where its path needs a directory: `net.ipv4.tcp_fin_timeout.x`). Other
 * failures (a group of sysctls, a write-only one, one the kernel will not read out) are thrown.
 */
export function readSysctl(name: string, procRoot = '/proc'): string | undefined {
  try {
    return readFileSync(sysctlPath(name, procRoot), 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

export function readSysctls(
  names: readonly string[] = TCP_SYSCTLS,
  procRoot = '/proc',
): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, readSysctl(name, procRoot)]));
}

/**
 * Every sysctl under a prefix (`net` for net.*), by name, with its value as text; one the kernel will not read out
 * (write-only, or EIO) is listed as `<unreadable: CODE>`, so the list still says the kernel has it. Sorted by name.
 */
export function readSysctlTree(prefix: string, procRoot = '/proc'): Record<string, string> {
  const found: [string, string][] = [];
  const walk = (name: string): void => {
    const path = sysctlPath(name, procRoot);
    let children: string[];
    try {
      children = readdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') return;
      let value: string;
      try {
        value = readFileSync(path, 'utf8').trim();
      } catch (readError) {
        value = `<unreadable: ${(readError as NodeJS.ErrnoException).code ?? 'EIO'}>`;
      }
      found.push([name, value]);
      return;
    }
    for (const child of children) walk(`${name}.${child}`);
  };
  walk(prefix);
  return Object.fromEntries(found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
