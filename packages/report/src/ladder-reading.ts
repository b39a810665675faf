/**
 * What a capture and the sampler's timeline say about one connection, before any geometry: which end sent each
 * segment, which a drop rule held back, its seq/ack relative to each side, which repeat earlier ones, and the rows
 * those segments and state changes make. Pure; owns the ladder's input types.
 */

export interface LadderEndpoint {
  readonly address: string;
  readonly port: number;
}

/** One captured TCP segment (tcpdump -S: absolute sequence numbers). time: epoch ms with microsecond precision. */
export interface LadderSegment {
  readonly time: number;
  readonly from: LadderEndpoint;
  readonly to: LadderEndpoint;
  readonly flags: readonly string[];
  readonly seq?: number;
  readonly ack?: number;
  readonly length: number;
}

/** A state change of one socket as the target's sampler saw it (from/to null: appeared/gone). time: epoch ms. */
export interface LadderStateChange {
  readonly time: number;
  readonly local: LadderEndpoint;
  readonly remote: LadderEndpoint;
  readonly from: string | null;
  readonly to: string | null;
}

/** A rule that dropped matching segments on arrival while it was installed (ports optional; 'ack-only': segments whose only flag is ACK). */
export interface LadderDrop {
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly segments: 'fin' | 'ack-only' | 'rst' | 'any';
  readonly from: number;
  readonly until?: number;
}

/** One end of the conversation and its role ("client", "server", "active closer", ...). */
export interface LadderEnd {
  readonly endpoint: LadderEndpoint;
  readonly role: string;
  /** Shown in place of `address:port` (a drawing's ends have no real address). */
  readonly name?: string;
}

export interface LadderInput {
  /** Unique in the page; every id the SVG uses starts with it (e.g. marker ids), so several ladders can share a page. */
  readonly id: string;
  readonly title: string;
  /** The two ends of the conversation, drawn left and right, each with its role ("client", "server", "active closer", ...). */
  readonly left: LadderEnd;
  readonly right: LadderEnd;
  readonly segments: readonly LadderSegment[];
  readonly changes: readonly LadderStateChange[];
  readonly drops: readonly LadderDrop[];
  /** False for a drawing rather than a capture (the article's figure): rows evenly spaced, no gap lengths. */
  readonly timed?: boolean;
}

/** One connection's share of a capture: what renderLadderSvg needs besides id, title and drops. */
export interface LadderConversation {
  readonly left: LadderEnd;
  readonly right: LadderEnd;
  readonly segments: readonly LadderSegment[];
  readonly changes: readonly LadderStateChange[];
}

export type Side = 'left' | 'right';

/** A segment read in the light of the whole capture: which end sent it, its tcpdump-like label, how to draw it. */
export interface SegmentReading {
  /** Its index in the input's segments. */
  readonly index: number;
  readonly segment: LadderSegment;
  readonly sender: Side;
  readonly label: string;
  readonly retransmission: boolean;
  readonly rst: boolean;
  readonly dropped: boolean;
}

/** One row of the ladder, in time order: a segment, or state changes seen between segments (at most one per side). */
export interface ReadRow {
  readonly time: number;
  readonly reading?: SegmentReading;
  readonly changes: Readonly<Partial<Record<Side, LadderStateChange>>>;
}

/** A ladder's model: the segments between its two ends, read, and the rows they and the state changes make. */
export interface LadderReading {
  readonly readings: readonly SegmentReading[];
  readonly rows: readonly ReadRow[];
}

/** A state change within this of a segment's time happened with it (absorbs float noise in epoch ms). */
const COINCIDE_MS = 0.0005;
const SEQ_SPACE = 2 ** 32;

export const otherSide = (side: Side): Side => (side === 'left' ? 'right' : 'left');

/** The address without the IPv4-mapped prefix, so `::ffff:127.0.0.1` and `127.0.0.1` compare equal. */
export function plainAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** Whether two endpoints are the same, however the IPv4 address is spelt. */
export function sameEndpoint(a: LadderEndpoint, b: LadderEndpoint): boolean {
  return a.port === b.port && plainAddress(a.address) === plainAddress(b.address);
}

/** How an endpoint reads in a lifeline's header: `127.0.0.1:8080`, or `[::1]:8580` for an IPv6 address. */
export const endpointText = (endpoint: LadderEndpoint): string =>
  endpoint.address.includes(':')
    ? `[${endpoint.address}]:${endpoint.port}`
    : `${endpoint.address}:${endpoint.port}`;

const opensConnection = (segment: LadderSegment): boolean =>
  segment.flags.includes('SYN') && !segment.flags.includes('ACK');

const pairKey = (a: LadderEndpoint, b: LadderEndpoint): string =>
  [`${plainAddress(a.address)} ${a.port}`, `${plainAddress(b.address)} ${b.port}`]
    .sort()
    .join(' | ');

/**
 * Splits a capture into connections (unordered endpoint pairs), in order of their first segment. The left end is the
 * sender of the first SYN without ACK, else of the first segment. Roles: with that SYN the ends are "client" and
 * "server"; without it, "sends first" and "answers". A change belongs to a connection when it is about either end.
 */
export function conversationsOf(
  segments: readonly LadderSegment[],
  changes: readonly LadderStateChange[],
): LadderConversation[] {
  const ordered = segments
    .map((segment, index) => ({ segment, index }))
    .sort((a, b) => a.segment.time - b.segment.time || a.index - b.index)
    .map(({ segment }) => segment);
  const groups = new Map<string, LadderSegment[]>();
  for (const segment of ordered) {
    const key = pairKey(segment.from, segment.to);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [segment]);
    else group.push(segment);
  }
  return [...groups.values()].flatMap((group) => {
    const opening = group.find(opensConnection);
    const first = opening ?? group[0];
    if (first === undefined) return [];
    const [leftEnd, rightEnd] = [first.from, first.to];
    const belongs = (change: LadderStateChange): boolean =>
      (sameEndpoint(change.local, leftEnd) && sameEndpoint(change.remote, rightEnd)) ||
      (sameEndpoint(change.local, rightEnd) && sameEndpoint(change.remote, leftEnd));
    return [
      {
        left: { endpoint: leftEnd, role: opening === undefined ? 'sends first' : 'client' },
        right: { endpoint: rightEnd, role: opening === undefined ? 'answers' : 'server' },
        segments: group,
        changes: changes.filter(belongs),
      },
    ];
  });
}

/** Which end of the ladder sent the segment; null for a segment between other endpoints. */
function senderOf(input: LadderInput, segment: LadderSegment): Side | null {
  const { left, right } = input;
  if (sameEndpoint(segment.from, left.endpoint) && sameEndpoint(segment.to, right.endpoint))
    return 'left';
  if (sameEndpoint(segment.from, right.endpoint) && sameEndpoint(segment.to, left.endpoint))
    return 'right';
  return null;
}

/** Which end's socket a state change is about; null for another socket. */
function sideOfChange(input: LadderInput, change: LadderStateChange): Side | null {
  const { left, right } = input;
  if (sameEndpoint(change.local, left.endpoint) && sameEndpoint(change.remote, right.endpoint))
    return 'left';
  if (sameEndpoint(change.local, right.endpoint) && sameEndpoint(change.remote, left.endpoint))
    return 'right';
  return null;
}

/** Whether a drop rule installed at the segment's time matches it. */
export function dropMatches(drop: LadderDrop, segment: LadderSegment): boolean {
  const installed =
    segment.time >= drop.from && (drop.until === undefined || segment.time < drop.until);
  const ports =
    (drop.sourcePort === undefined || drop.sourcePort === segment.from.port) &&
    (drop.destinationPort === undefined || drop.destinationPort === segment.to.port);
  return installed && ports && dropKindMatches(drop.segments, segment.flags);
}

function dropKindMatches(kind: LadderDrop['segments'], flags: readonly string[]): boolean {
  switch (kind) {
    case 'fin':
      return flags.includes('FIN');
    case 'rst':
      return flags.includes('RST');
    case 'ack-only':
      return flags.length === 1 && flags[0] === 'ACK';
    case 'any':
      return true;
  }
}

const relative = (value: number, base: number): number =>
  (((value - base) % SEQ_SPACE) + SEQ_SPACE) % SEQ_SPACE;

interface Sent {
  readonly index: number;
  readonly segment: LadderSegment;
  readonly sender: Side;
}

/**
 * Each end's sequence base, as tcpdump's relative numbers use: its SYN's seq (the ISN) when captured, else the first
 * seq it sent, else the first ack the other end sent it (so an end that sent no seq still reads from 0).
 */
function sequenceBases(sent: readonly Sent[]): Record<Side, number | undefined> {
  const baseOf = (side: Side): number | undefined =>
    sent.find(
      (s) => s.sender === side && s.segment.flags.includes('SYN') && s.segment.seq !== undefined,
    )?.segment.seq ??
    sent.find((s) => s.sender === side && s.segment.seq !== undefined)?.segment.seq ??
    sent.find((s) => s.sender !== side && s.segment.ack !== undefined)?.segment.ack;
  return { left: baseOf('left'), right: baseOf('right') };
}

/** `FIN+ACK seq 1 ack 1`, `ACK ack 2`, `PSH+ACK seq 1 ack 1 len 5`. */
function segmentLabel(
  segment: LadderSegment,
  ownBase: number | undefined,
  otherBase: number | undefined,
): string {
  const parts = [segment.flags.length === 0 ? 'none' : segment.flags.join('+')];
  if (segment.seq !== undefined) parts.push(`seq ${relative(segment.seq, ownBase ?? segment.seq)}`);
  if (segment.ack !== undefined)
    parts.push(`ack ${relative(segment.ack, otherBase ?? segment.ack)}`);
  if (segment.length > 0) parts.push(`len ${segment.length}`);
  return parts.join(' ');
}

/** What a retransmission repeats: same sender and seq, and the same SYN, FIN and data; null if it takes no seq space. */
function sequenceKey(sender: Side, segment: LadderSegment): string | null {
  const syn = segment.flags.includes('SYN');
  const fin = segment.flags.includes('FIN');
  if (segment.seq === undefined || !(syn || fin || segment.length > 0)) return null;
  return `${sender} ${segment.seq} ${syn} ${fin} ${segment.length}`;
}

/** The segments between the two ends in time order, each labelled and classified. Pure. */
export function readSegments(input: LadderInput): SegmentReading[] {
  const sent = input.segments
    .map((segment, index) => ({ segment, index, sender: senderOf(input, segment) }))
    .filter((s): s is Sent => s.sender !== null)
    .sort((a, b) => a.segment.time - b.segment.time || a.index - b.index);
  const bases = sequenceBases(sent);
  const seen = new Set<string>();
  return sent.map(({ segment, index, sender }) => {
    const key = sequenceKey(sender, segment);
    const retransmission = key !== null && seen.has(key);
    if (key !== null) seen.add(key);
    return {
      index,
      segment,
      sender,
      label: segmentLabel(segment, bases[sender], bases[otherSide(sender)]),
      retransmission,
      rst: segment.flags.includes('RST'),
      dropped: input.drops.some((drop) => dropMatches(drop, segment)),
    };
  });
}

type UnplacedRow = ReadRow & {
  readonly changes: Partial<Record<Side, LadderStateChange>>;
};

/**
 * One row per segment; a state change joins the row of a segment at the same time, else a row of changes at its
 * time. Each row holds at most one change per side, so each side names at most one state per row.
 */
function rowsOf(readings: readonly SegmentReading[], input: LadderInput): UnplacedRow[] {
  const segmentRows: UnplacedRow[] = readings.map((reading) => ({
    time: reading.segment.time,
    reading,
    changes: {},
  }));
  const changeRows: UnplacedRow[] = [];
  const sided = input.changes
    .map((change, index) => ({ change, index, side: sideOfChange(input, change) }))
    .filter((c): c is { change: LadderStateChange; index: number; side: Side } => c.side !== null)
    .sort((a, b) => a.change.time - b.change.time || a.index - b.index);
  for (const { change, side } of sided) {
    const free = (row: UnplacedRow): boolean =>
      Math.abs(row.time - change.time) <= COINCIDE_MS && row.changes[side] === undefined;
    const host = segmentRows.find(free) ?? changeRows.find(free);
    if (host === undefined) changeRows.push({ time: change.time, changes: { [side]: change } });
    else host.changes[side] = change;
  }
  // At equal times a segment's row comes first: changes that found its slot taken came after it.
  const ranked = [
    ...segmentRows.map((row, order) => ({ row, rank: 0, order })),
    ...changeRows.map((row, order) => ({ row, rank: 1, order })),
  ];
  ranked.sort((a, b) => a.row.time - b.row.time || a.rank - b.rank || a.order - b.order);
  return ranked.map(({ row }) => row);
}

/** The ladder's model of a conversation: its segments read, and its rows of segments and state changes. Pure. */
export function readLadder(input: LadderInput): LadderReading {
  const readings = readSegments(input);
  return { readings, rows: rowsOf(readings, input) };
}
