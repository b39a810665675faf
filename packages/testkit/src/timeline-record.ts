import { PATHS, type Segment } from '@sockspec/agent/protocol';
import { TCP_SYSCTLS } from '@sockspec/inspector';
import {
  reportDir,
  writeTimelineRecordFile,
  type CaptureRecord,
  type DropRecord,
  type TimelineRecord,
} from '@sockspec/records';
import { currentScenario } from './jest-state';
import type { Target } from './target';

/** How long a container target gets to hand over its record; a slower target's limit is stretched. */
export const RECORD_TIMEOUT_MS = 15_000;

/**
 * Writes <dir>/records/<spec>--<target>.json (dir: the run's report folder) for a target about to stop. Never throws: a record that cannot be
 * written must not turn a passing scenario into a failing one.
 */
export async function writeTimelineRecord(
  target: Target,
  started: number,
  segments: readonly Segment[],
  agentPort: number,
  requestedSysctls: Readonly<Record<string, string | number>>,
  drops: readonly DropRecord[],
  captures: readonly CaptureRecord[],
  timeoutMs = RECORD_TIMEOUT_MS,
  dir = reportDir(),
): Promise<void> {
  try {
    const scenario = currentScenario().file ?? 'outside-jest';
    const reading = Promise.all([
      target.info(),
      target.changes(0),
      target.sysctls(TCP_SYSCTLS),
      target.agent.get<{ values: Record<string, string> }>(PATHS.sysctls, { prefix: 'net' }),
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
      drops,
      captures,
      ...(info.cpuMs === undefined ? {} : { agentCpuMs: info.cpuMs }),
    };
    writeTimelineRecordFile(dir, record);
  } catch (error) {
    process.stderr.write(
      `sockspec: could not record ${target.name}'s timeline: ${String(error)}\n`,
    );
  }
}
