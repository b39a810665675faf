import type {
  LadderDrop,
  LadderEndpoint,
  LadderInput,
  LadderSegment,
  LadderStateChange,
} from './ladder-svg';

export type Side = 'left' | 'right';
export type TextAnchor = 'start' | 'middle' | 'end';

/** The rectangle a text may cover, as the layout reserves it: top-left corner, estimated width, line height. */
export interface LabelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly text: string;
}

/** A text placed by the layout: the anchor point and baseline it is drawn at, and the box it reserves. */
export interface PlacedText {
  readonly text: string;
  readonly x: number;
  readonly baseline: number;
  readonly anchor: TextAnchor;
  readonly fontSize: number;
  readonly box: LabelBox;
}

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

/** One row of the ladder: a segment (leaving its sender at y), or state changes seen between segments. */
export interface LadderRow {
  readonly time: number;
  readonly y: number;
  readonly reading?: SegmentReading;
  readonly changes: Readonly<Partial<Record<Side, LadderStateChange>>>;
}

export interface Lifeline {
  readonly side: Side;
  readonly x: number;
  readonly top: number;
  readonly bottom: number;
  /** `address:port`, then the role. */
  readonly header: readonly PlacedText[];
}

/** A stretch of a lifeline during which that end's socket was in one state. */
export interface StateBand {
  readonly side: Side;
  readonly state: string;
  readonly x: number;
  readonly top: number;
  readonly bottom: number;
}

/** Where a state began (or the socket went: state null), named in that side's outer margin. */
export interface StateName {
  readonly side: Side;
  readonly state: string | null;
  readonly y: number;
  readonly label: PlacedText;
}

/** The real time between two successive rows, bracketed in the left column. */
export interface GapMark {
  readonly gapMs: number;
  readonly x: number;
  readonly top: number;
  readonly bottom: number;
  readonly label: PlacedText;
}

/** A segment's arrow from (x1, y1) to where it is drawn to end (short of the receiver when dropped). */
export interface Arrow {
  readonly reading: SegmentReading;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly label: PlacedText;
}

export type LegendKind = 'segment' | 'retransmission' | 'rst' | 'dropped' | 'state' | 'gap';

export interface LegendItem {
  readonly kind: LegendKind;
  /** The glyph's left end and vertical centre, and its width. */
  readonly glyphX: number;
  readonly glyphY: number;
  readonly glyphWidth: number;
  readonly label: PlacedText;
}

export interface LadderLayout {
  readonly width: number;
  readonly height: number;
  readonly title: PlacedText;
  readonly lifelines: readonly Lifeline[];
  readonly rows: readonly LadderRow[];
  readonly bands: readonly StateBand[];
  readonly stateNames: readonly StateName[];
  readonly gaps: readonly GapMark[];
  readonly arrows: readonly Arrow[];
  readonly legend: readonly LegendItem[];
}

export const FONT_SIZE = 11;
export const TITLE_FONT_SIZE = 13;
// Of the font size: a monospace character's advance (common fonts: 0.6), and a line's ascent plus descent.
const CHAR_WIDTH = 0.62;
const LINE_HEIGHT = 1.3;
const LINE = FONT_SIZE * LINE_HEIGHT;

const MARGIN = 10;
export const BAND_WIDTH = 8;
/** How much lower an arrow arrives than it leaves. */
const SLANT = 12;
/**
 * Row pitch: at least one label line plus the slant plus padding, so that every row's texts fit in its own band;
 * then a few pixels more per decade of real time (1 µs .. 60 s spans about 8 decades).
 */
const MIN_PITCH = 34;
const PITCH_PER_DECADE = 8;
const MAX_PITCH = 100;
/** Row pitch of a drawing (untimed): about that of a millisecond's gap. */
const UNTIMED_PITCH = MIN_PITCH + 3 * PITCH_PER_DECADE;
/** Between the lifelines' top and the first row: room for the name of the state each side started in. */
const TOP_LEAD = LINE + 10;
/** Below the last row: room for the name of a state that began on its arrival. */
const TAIL = SLANT + LINE + 10;
const COLUMN_GAP = 10;
/** From a lifeline to the near edge of its state names. */
const STATE_OFFSET = BAND_WIDTH / 2 + 4;
/** From a lifeline to the nearest an arrow label may come. */
const ARROW_LABEL_INSET = BAND_WIDTH / 2 + 10;
const MIN_SPAN = 320;
const HEADER_GAP = 16;
const LEGEND_GLYPH = 34;
const LEGEND_SPACING = 18;
/** A state change within this of a segment's time happened with it (absorbs float noise in epoch ms). */
const COINCIDE_MS = 0.0005;
/** How far across a dropped segment is drawn before its cross. */
const DROPPED_REACH = 0.7;
const SEQ_SPACE = 2 ** 32;

const LEGEND: ReadonlyArray<{ readonly kind: LegendKind; readonly text: string }> = [
  { kind: 'segment', text: 'segment' },
  { kind: 'retransmission', text: 'retransmission' },
  { kind: 'rst', text: 'RST' },
  { kind: 'dropped', text: 'dropped on arrival' },
  { kind: 'state', text: 'state held (named outside)' },
  { kind: 'gap', text: 'time between rows (not to scale)' },
];

/** Estimated width of a text in the monospace font the ladder uses. */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * CHAR_WIDTH;
}

/** A text anchored at x with its box's top at `top`; the box is what the layout keeps clear of other texts. */
function placeText(
  text: string,
  x: number,
  top: number,
  anchor: TextAnchor,
  fontSize = FONT_SIZE,
): PlacedText {
  const width = textWidth(text, fontSize);
  const left = anchor === 'start' ? x : anchor === 'end' ? x - width : x - width / 2;
  return {
    text,
    x,
    baseline: top + fontSize,
    anchor,
    fontSize,
    box: { x: left, y: top, width, height: fontSize * LINE_HEIGHT, text },
  };
}

const boxBottom = (text: PlacedText): number => text.box.y + text.box.height;
const boxRight = (text: PlacedText): number => text.box.x + text.box.width;
const widest = (texts: readonly string[]): number =>
  Math.max(0, ...texts.map((text) => textWidth(text, FONT_SIZE)));
const otherSide = (side: Side): Side => (side === 'left' ? 'right' : 'left');

/** The address without the IPv4-mapped prefix, so `::ffff:127.0.0.1` and `127.0.0.1` compare equal. */
export function plainAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** Whether two endpoints are the same, however the IPv4 address is spelt. */
export function sameEndpoint(a: LadderEndpoint, b: LadderEndpoint): boolean {
  return a.port === b.port && plainAddress(a.address) === plainAddress(b.address);
}

/** How an endpoint reads in a lifeline's header. */
export const endpointText = (endpoint: LadderEndpoint): string =>
  `${endpoint.address}:${endpoint.port}`;

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

/** The real length of a gap, 2-3 significant figures: `+0.046 ms`, `+4.25 ms`, `+12 ms`, `+1.20 s`, `+60.2 s`. */
export function formatGap(gapMs: number): string {
  const ms = Math.max(0, gapMs);
  if (ms < 0.0005) return '+0 ms';
  if (ms < 0.9995) return `+${ms.toFixed(3)} ms`;
  if (ms < 9.995) return `+${ms.toFixed(2)} ms`;
  if (ms < 999.5) return `+${ms.toFixed(0)} ms`;
  const seconds = ms / 1000;
  if (seconds < 9.995) return `+${seconds.toFixed(2)} s`;
  if (seconds < 99.95) return `+${seconds.toFixed(1)} s`;
  return `+${seconds.toFixed(0)} s`;
}

/** The drawn height of a gap: grows by a few pixels per decade of real time, clamped. */
export function gapPitch(gapMs: number): number {
  const decades = Math.log10(Math.max(1, gapMs * 1000));
  return Math.min(MAX_PITCH, MIN_PITCH + PITCH_PER_DECADE * decades);
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

type UnplacedRow = Omit<LadderRow, 'y'> & {
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

interface Mark {
  readonly row: number;
  readonly change: LadderStateChange;
}

const marksOf = (side: Side, rows: readonly UnplacedRow[]): Mark[] =>
  rows.flatMap((row, index) => {
    const change = row.changes[side];
    return change === undefined ? [] : [{ row: index, change }];
  });

/** The names one side's margin will show, in order: the state it started in (if known), then each change's. */
function stateTexts(marks: readonly Mark[]): string[] {
  const initial = marks[0]?.change.from;
  return [
    ...(initial === null || initial === undefined ? [] : [initial]),
    ...marks.map((mark) => mark.change.to ?? 'gone'),
  ];
}

/**
 * One side's bands and names. A change happens at its row, or at the arrival of that row's segment when this side
 * received it. Each name sits just below where its state began, in the side's outer margin.
 */
function statesOf(
  side: Side,
  marks: readonly Mark[],
  rows: readonly LadderRow[],
  lifeline: { readonly x: number; readonly top: number; readonly bottom: number },
): { bands: StateBand[]; names: StateName[] } {
  const bands: StateBand[] = [];
  const names: StateName[] = [];
  const name = (state: string | null, y: number): StateName => {
    const top = y + 3;
    const label =
      side === 'left'
        ? placeText(state ?? 'gone', lifeline.x - STATE_OFFSET, top, 'end')
        : placeText(state ?? 'gone', lifeline.x + STATE_OFFSET, top, 'start');
    return { side, state, y, label };
  };
  const initial = marks[0]?.change.from ?? null;
  let open: { state: string; top: number } | null =
    initial === null ? null : { state: initial, top: lifeline.top };
  if (open !== null) names.push(name(open.state, open.top));
  for (const mark of marks) {
    const row = rows[mark.row] as LadderRow;
    const arrives = row.reading !== undefined && row.reading.sender !== side;
    const y = row.y + (arrives ? SLANT : 0);
    if (open !== null)
      bands.push({ side, state: open.state, x: lifeline.x, top: open.top, bottom: y });
    open = mark.change.to === null ? null : { state: mark.change.to, top: y };
    names.push(name(mark.change.to, y));
  }
  if (open !== null)
    bands.push({ side, state: open.state, x: lifeline.x, top: open.top, bottom: lifeline.bottom });
  return { bands, names };
}

/**
 * A segment's arrow from its sender's lifeline at its row to the receiver's, SLANT lower. Its label is centred
 * between the lifelines, just above the line where the line is highest under it, so it stays within its row's band.
 */
function arrowOf(row: LadderRow, reading: SegmentReading, leftX: number, rightX: number): Arrow {
  const direction = reading.sender === 'left' ? 1 : -1;
  const x1 = (reading.sender === 'left' ? leftX : rightX) + (direction * BAND_WIDTH) / 2;
  const xEnd = (reading.sender === 'left' ? rightX : leftX) - (direction * BAND_WIDTH) / 2;
  const lineY = (x: number): number => row.y + (SLANT * (x - x1)) / (xEnd - x1);
  const centre = (leftX + rightX) / 2;
  const halfWidth = textWidth(reading.label, FONT_SIZE) / 2;
  const highest = Math.min(lineY(centre - halfWidth), lineY(centre + halfWidth));
  const label = placeText(reading.label, centre, highest - 3 - LINE, 'middle');
  const reach = reading.dropped ? DROPPED_REACH : 1;
  return {
    reading,
    x1,
    y1: row.y,
    x2: x1 + (xEnd - x1) * reach,
    y2: row.y + SLANT * reach,
    label,
  };
}

/** The legend's items left to right, wrapping to a new line before one would pass the right margin. */
function legendOf(top: number, width: number, timed: boolean): LegendItem[] {
  const items: LegendItem[] = [];
  let x = MARGIN;
  let y = top;
  // A drawing (untimed) shows plain segments and states only.
  const shown = timed
    ? LEGEND
    : LEGEND.filter(({ kind }) => kind === 'segment' || kind === 'state');
  for (const { kind, text } of shown) {
    const itemWidth = LEGEND_GLYPH + 6 + textWidth(text, FONT_SIZE);
    if (x > MARGIN && x + itemWidth > width - MARGIN) {
      x = MARGIN;
      y += LINE + 6;
    }
    items.push({
      kind,
      glyphX: x,
      glyphY: y + LINE / 2,
      glyphWidth: LEGEND_GLYPH,
      label: placeText(text, x + LEGEND_GLYPH + 6, y, 'start'),
    });
    x += itemWidth + LEGEND_SPACING;
  }
  return items;
}

/**
 * Where everything of a ladder goes. Texts never meet by construction: each column is as wide as its widest text,
 * each vertical band (title, headers, rows, legend) holds its own texts, and rows are at least MIN_PITCH apart.
 */
export function layoutLadder(input: LadderInput): LadderLayout {
  const readings = readSegments(input);
  const unplaced = rowsOf(readings, input);
  const timed = input.timed ?? true;
  const gapsMs = unplaced
    .slice(1)
    .map((row, i) => Math.max(0, row.time - (unplaced[i]?.time ?? row.time)));
  // A drawing's rows are evenly spaced and its gaps go unlabelled: its times only order the rows.
  const pitchOf = (gapMs: number): number => (timed ? gapPitch(gapMs) : UNTIMED_PITCH);
  const marks = { left: marksOf('left', unplaced), right: marksOf('right', unplaced) };
  const headers = {
    left: [input.left.name ?? endpointText(input.left.endpoint), input.left.role],
    right: [input.right.name ?? endpointText(input.right.endpoint), input.right.role],
  };

  // Columns, left to right: gap labels, left state names, left lifeline, arrow labels, right lifeline, right names.
  const gapRight = MARGIN + (timed ? widest(gapsMs.map(formatGap)) : 0);
  const leftX = Math.max(
    gapRight + COLUMN_GAP + widest(stateTexts(marks.left)) + STATE_OFFSET,
    MARGIN + widest(headers.left) / 2,
  );
  const span = Math.max(
    MIN_SPAN,
    widest(readings.map((reading) => reading.label)) + 2 * ARROW_LABEL_INSET,
    (widest(headers.left) + widest(headers.right)) / 2 + HEADER_GAP,
  );
  const rightX = leftX + span;

  // Bands, top to bottom: title, headers, lifelines with their rows, legend.
  const title = placeText(input.title, MARGIN, MARGIN, 'start', TITLE_FONT_SIZE);
  const headerTop = boxBottom(title) + 10;
  const header = (side: Side, x: number): PlacedText[] =>
    headers[side].map((text, line) => placeText(text, x, headerTop + line * (LINE + 2), 'middle'));
  const lifelineTop = headerTop + 2 * LINE + 2 + 6;
  let y = lifelineTop + TOP_LEAD;
  const rows: LadderRow[] = unplaced.map((row, index) => {
    if (index > 0) y += pitchOf(gapsMs[index - 1] ?? 0);
    return { ...row, y };
  });
  const lastRowY = rows[rows.length - 1]?.y ?? y;
  const lifelineBottom = lastRowY + TAIL;
  const lifelineAt = (side: Side, x: number): Lifeline => ({
    side,
    x,
    top: lifelineTop,
    bottom: lifelineBottom,
    header: header(side, x),
  });
  const leftLine = lifelineAt('left', leftX);
  const rightLine = lifelineAt('right', rightX);
  const leftStates = statesOf('left', marks.left, rows, leftLine);
  const rightStates = statesOf('right', marks.right, rows, rightLine);

  // The gap between rows i and i+1, labelled at its middle: successive middles are at least MIN_PITCH apart.
  const gaps: GapMark[] = (timed ? gapsMs : []).map((gapMs, i) => {
    const top = rows[i]?.y ?? 0;
    const bottom = rows[i + 1]?.y ?? top;
    const label = placeText(formatGap(gapMs), gapRight, (top + bottom) / 2 - LINE / 2, 'end');
    return { gapMs, x: gapRight + 4, top, bottom, label };
  });
  const arrows = rows.flatMap((row) =>
    row.reading === undefined ? [] : [arrowOf(row, row.reading, leftX, rightX)],
  );

  const contentRight = Math.max(
    ...[...rightStates.names.map((name) => name.label), ...rightLine.header, title].map(boxRight),
    rightX + BAND_WIDTH,
  );
  const legend = legendOf(lifelineBottom + 14, contentRight + MARGIN, timed);
  const width = Math.max(contentRight, ...legend.map((item) => boxRight(item.label))) + MARGIN;
  const height = Math.max(...legend.map((item) => boxBottom(item.label))) + MARGIN;
  return {
    width: Math.ceil(width),
    height: Math.ceil(height),
    title,
    lifelines: [leftLine, rightLine],
    rows,
    bands: [...leftStates.bands, ...rightStates.bands],
    stateNames: [...leftStates.names, ...rightStates.names],
    gaps,
    arrows,
    legend,
  };
}

/** Every text of a ladder, as the renderer draws them. */
export function textsOf(layout: LadderLayout): PlacedText[] {
  return [
    layout.title,
    ...layout.lifelines.flatMap((lifeline) => lifeline.header),
    ...layout.gaps.map((gap) => gap.label),
    ...layout.stateNames.map((name) => name.label),
    ...layout.arrows.map((arrow) => arrow.label),
    ...layout.legend.map((item) => item.label),
  ];
}

/** The boxes the layout reserved for a ladder's texts: what the no-overlap guarantee is about. */
export function ladderLabelBoxes(input: LadderInput): LabelBox[] {
  return textsOf(layoutLadder(input)).map((text) => text.box);
}
