import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Segment, TcpChange } from '@sockspec/agent';
import { TCP_SYSCTLS } from '@sockspec/inspector';
import { currentScenario, reportDir } from './report-dir';
import type { Target } from './target';

/** How long a container target gets to hand over its record; a slower target's limit is stretched. */
export const RECORD_TIMEOUT_MS = 15_000;

/** Everything a target saw during a scenario, as the report draws it. */
export interface TimelineRecord {
  readonly scenario: string;
  readonly target: string;
  readonly kind: string;
  readonly kernel: string;
  /** `uname -a` of the target's kernel: the evidence for what the record says of it. */
  readonly uname?: string;
  /** The TCP sysctls the scenarios touch, as the target had them. */
  readonly sysctls: Readonly<Record<string, string | undefined>>;
  /** Every net.* sysctl the target's kernel has, with its value in the target: which ones a kernel has, and how set. */
  readonly netSysctls?: Readonly<Record<string, string>>;
  /** The sysctls the spec asked this target for. */
  readonly requestedSysctls?: Readonly<Record<string, string | number>>;
  readonly started: number;
  readonly stopped: number;
  /** State changes of the scenario's sockets (the agent's own control connections left out). */
  readonly changes: readonly TcpChange[];
  readonly segments: readonly Segment[];
}

/**
 * Writes report/records/<spec>--<target>.json for a target about to stop. Never throws: a record that cannot be
 * written must not turn a passing scenario into a failing one.
 */
export async function writeTimelineRecord(
  target: Target,
  started: number,
  segments: readonly Segment[],
  agentPort: number,
  requestedSysctls: Readonly<Record<string, string | number>>,
  timeoutMs = RECORD_TIMEOUT_MS,
): Promise<void> {
  try {
    const scenario = currentScenario().file ?? 'outside-jest';
    const reading = Promise.all([
      target.info(),
      target.changes(0),
      target.sysctls(TCP_SYSCTLS),
      target.agent.get<{ values: Record<string, string> }>('/v1/sysctls', { prefix: 'net' }),
    ]);
    // A target that stopped answering must not hold up its own teardown.
    const [info, { changes }, sysctls, net] = await Promise.race([
      reading,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    const record: TimelineRecord = {
      scenario,
      target: target.name,
      kind: target.kind,
      kernel: info.kernel,
      uname: info.uname,
      sysctls,
      netSysctls: net.values,
      requestedSysctls,
      started,
      stopped: Date.now(),
      changes: changes.filter(
        (change) => change.local.port !== agentPort && change.remote.port !== agentPort,
      ),
      segments,
    };
    const dir = join(reportDir(), 'records');
    mkdirSync(dir, { recursive: true });
    const name = `${scenario.replace(/[^a-z0-9-]+/gi, '_')}--${target.name.replace(/[^a-z0-9-]+/gi, '_')}.json`;
    writeFileSync(join(dir, name), JSON.stringify(record));
  } catch (error) {
    process.stderr.write(
      `sockspec: could not record ${target.name}'s timeline: ${String(error)}\n`,
    );
  }
}
