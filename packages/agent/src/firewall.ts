import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DropRule, InstalledDropRule } from './protocol';
import { HttpError, notFound } from './http-error';

const run = promisify(execFile);
const TABLE = ['inet', 'sockspec'] as const;

/** The nft match for each kind of segment a rule can drop. */
const SEGMENT_MATCH: Readonly<Record<DropRule['segments'], string[]>> = {
  fin: ['tcp', 'flags', '&', 'fin', '==', 'fin'],
  'ack-only': ['tcp', 'flags', '&', '(fin|syn|rst|ack)', '==', 'ack'],
  rst: ['tcp', 'flags', '&', 'rst', '==', 'rst'],
  any: ['meta', 'l4proto', 'tcp'],
};

/** Builds the nft arguments of a drop rule. Pure: every value is a validated number or a fixed word. */
export function dropRuleArguments(rule: DropRule): string[] {
  const args = ['add', 'rule', ...TABLE, 'input'];
  if (rule.sourcePort !== undefined) args.push('tcp', 'sport', String(rule.sourcePort));
  if (rule.destinationPort !== undefined) args.push('tcp', 'dport', String(rule.destinationPort));
  args.push(...SEGMENT_MATCH[rule.segments], 'counter', 'drop');
  return args;
}

/**
 * Drops chosen TCP segments as they arrive in the target, with nftables: how a spec loses a FIN or an ACK on
 * purpose. Needs the NET_ADMIN capability; without it the kernel answers EPERM and the agent says so.
 */
export class Firewall {
  private readonly rules = new Map<number, DropRule>();
  private ready = false;

  async add(rule: DropRule): Promise<InstalledDropRule> {
    await this.ensureTable();
    const { stdout } = await this.nft(['--echo', '--handle', ...dropRuleArguments(rule)]);
    const handle = /# handle (\d+)/.exec(stdout)?.[1];
    if (handle === undefined)
      throw new HttpError(500, 'nft', `nft did not report a handle: ${stdout}`);
    this.rules.set(Number(handle), rule);
    return { ...rule, handle: Number(handle), dropped: 0 };
  }

  async remove(handle: number): Promise<void> {
    if (!this.rules.has(handle)) throw notFound(`no drop rule ${handle}`);
    await this.nft(['delete', 'rule', ...TABLE, 'input', 'handle', String(handle)]);
    this.rules.delete(handle);
  }

  async list(): Promise<InstalledDropRule[]> {
    if (!this.ready) return [];
    const { stdout } = await this.nft(['--json', 'list', 'chain', ...TABLE, 'input']);
    const counts = packetCounts(stdout);
    return [...this.rules].map(([handle, rule]) => ({
      ...rule,
      handle,
      dropped: counts.get(handle) ?? 0,
    }));
  }

  private async ensureTable(): Promise<void> {
    if (this.ready) return;
    await this.nft(['add', 'table', ...TABLE]);
    await this.nft([
      'add',
      'chain',
      ...TABLE,
      'input',
      '{ type filter hook input priority 0 ; policy accept ; }',
    ]);
    this.ready = true;
  }

  private async nft(args: string[]): Promise<{ stdout: string }> {
    try {
      return await run('nft', args, { timeout: 10_000 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? error);
      const denied = /Operation not permitted/.test(stderr);
      throw new HttpError(
        denied ? 403 : 500,
        denied ? 'EPERM' : 'nft',
        denied
          ? 'nft: EPERM. Hint: start the target with the NET_ADMIN capability to drop segments'
          : `nft ${args.join(' ')} failed: ${stderr.trim()}`,
      );
    }
  }
}

/** Packet counters per rule handle from `nft --json list chain`. */
export function packetCounts(json: string): Map<number, number> {
  const counts = new Map<number, number>();
  const parsed = JSON.parse(json) as {
    nftables?: Array<{ rule?: { handle: number; expr?: unknown[] } }>;
  };
  for (const item of parsed.nftables ?? []) {
    if (item.rule === undefined) continue;
    for (const expr of item.rule.expr ?? []) {
      const counter = (expr as { counter?: { packets?: number } }).counter;
      if (counter?.packets !== undefined) counts.set(item.rule.handle, counter.packets);
    }
  }
  return counts;
}
