/**
 * Where each part of a ladder goes, in pixels: columns, rows, bands, names, arrows and the legend, from the ladder's
 * model (ladder-reading.ts). Geometry only: what the segments mean is read there, how they look is drawn in
 * ladder-svg.ts.
 */
import {
  endpointText,
  readLadder,
  type LadderInput,
  type LadderStateChange,
  type ReadRow,
  type SegmentReading,
  type Side,
} from './ladder-reading';
import { legendOf, type LegendItem } from './ladder-legend';
import {
  FONT_SIZE,
  LINE,
  TITLE_FONT_SIZE,
  boxBottom,
  boxRight,
  placeText,
  textWidth,
  widest,
  type LabelBox,
  type PlacedText,
} from './ladder-text';

/** One row of the ladder as read, placed: a segment leaving its sender at y, or state changes seen between segments. */
export interface LadderRow extends ReadRow {
  readonly y: number;
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
/** How far across a dropped segment is drawn before its cross. */
const DROPPED_REACH = 0.7;

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

interface Mark {
  readonly row: number;
  readonly change: LadderStateChange;
}

const marksOf = (side: Side, rows: readonly ReadRow[]): Mark[] =>
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

/**
 * Where everything of a ladder goes. Texts never meet by construction: each column is as wide as its widest text,
 * each vertical band (title, headers, rows, legend) holds its own texts, and rows are at least MIN_PITCH apart.
 */
export function layoutLadder(input: LadderInput): LadderLayout {
  const { readings, rows: unplaced } = readLadder(input);
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
  const legend = legendOf(lifelineBottom + 14, MARGIN, contentRight, timed);
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
