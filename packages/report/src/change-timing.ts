import { sameEndpoint, type LadderSegment, type LadderStateChange } from './ladder-reading';

/** A sampled state change: seen at `time`, not yet at `previousTime` (epoch ms, whole milliseconds). */
export interface SampledChange extends LadderStateChange {
  readonly previousTime?: number | null;
}

/** States a socket enters by sending a segment (its FIN or SYN); the others it enters on receiving one. */
const ENTERED_ON_SENDING: ReadonlySet<string> = new Set(['FIN_WAIT1', 'LAST_ACK', 'SYN_SENT']);
/** Sample times are whole milliseconds read some fraction of one after the fact. */
const SAMPLE_RESOLUTION_MS = 1;

type Role = 'sent' | 'received' | 'either';

/** Which of its own segments can have caused the change: the FIN/SYN it sent, any it received, or (gone) either. */
function causeRole(change: SampledChange): Role {
  if (change.to === null) return 'either';
  return ENTERED_ON_SENDING.has(change.to) ? 'sent' : 'received';
}

function playsRole(change: SampledChange, segment: LadderSegment, role: Role): boolean {
  const sent = sameEndpoint(segment.from, change.local) && sameEndpoint(segment.to, change.remote);
  const received =
    sameEndpoint(segment.to, change.local) && sameEndpoint(segment.from, change.remote);
  if (role === 'sent')
    return sent && segment.flags.some((flag) => flag === 'FIN' || flag === 'SYN');
  if (role === 'received') return received;
  return sent || received;
}

/**
 * The sampler only knows a change happened between two samples 10 ms apart, while the segment that caused it has a
 * microsecond timestamp. Each change moves to the last segment in its window that can have caused it (so a ladder
 * starts FIN_WAIT2 where the ACK arrives, not somewhere before the FIN left); a change with no such segment (a
 * timer's, like TIME_WAIT's end) keeps its sample time. Pure.
 */
export function alignChanges(
  changes: readonly SampledChange[],
  segments: readonly LadderSegment[],
): LadderStateChange[] {
  return changes.map((change) => {
    const earliest = change.previousTime ?? change.time - SAMPLE_RESOLUTION_MS;
    const latest = change.time + SAMPLE_RESOLUTION_MS;
    const role = causeRole(change);
    const causes = segments.filter(
      (segment) =>
        segment.time >= earliest && segment.time < latest && playsRole(change, segment, role),
    );
    const cause = causes.reduce<LadderSegment | undefined>(
      (last, segment) => (last === undefined || segment.time >= last.time ? segment : last),
      undefined,
    );
    const { local, remote, from, to } = change;
    return { time: cause?.time ?? change.time, local, remote, from, to };
  });
}
