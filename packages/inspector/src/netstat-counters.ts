import { readFileSync } from 'node:fs';

export type CounterSections = Record<string, Record<string, number>>;

/**
 * /proc/net/netstat and /proc/net/snmp: pairs of lines per section, names then values, each starting `Section:`.
 * Pure; a line pair that does not line up is skipped.
 */
export function parseNetstat(text: string): CounterSections {
  const sections: CounterSections = {};
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = (lines[i] as string).trim().split(/\s+/);
    const values = (lines[i + 1] as string).trim().split(/\s+/);
    const section = names[0];
    if (
      section === undefined ||
      section !== values[0] ||
      !section.endsWith(':') ||
      names.length !== values.length
    ) {
      continue;
    }
    const counters: Record<string, number> = {};
    for (let j = 1; j < names.length; j += 1) counters[names[j] as string] = Number(values[j]);
    sections[section.slice(0, -1)] = counters;
  }
  return sections;
}

/** TcpExt counters of the caller's network namespace: ListenOverflows, ListenDrops, TW, TCPAbortOnClose, ... */
export function readTcpExtCounters(procRoot = '/proc'): Record<string, number> {
  return parseNetstat(readFileSync(`${procRoot}/net/netstat`, 'utf8')).TcpExt ?? {};
}

/** The Tcp section of /proc/net/snmp: ActiveOpens, PassiveOpens, RetransSegs, OutRsts, ... */
export function readTcpCounters(procRoot = '/proc'): Record<string, number> {
  return parseNetstat(readFileSync(`${procRoot}/net/snmp`, 'utf8')).Tcp ?? {};
}
