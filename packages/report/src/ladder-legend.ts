import { FONT_SIZE, LINE, placeText, textWidth, type PlacedText } from './ladder-text';

/** The ladder's legend: one item per kind of mark it draws, laid out in lines. Pure. */

export type LegendKind = 'segment' | 'retransmission' | 'rst' | 'dropped' | 'state' | 'gap';

export interface LegendItem {
  readonly kind: LegendKind;
  /** The glyph's left end and vertical centre, and its width. */
  readonly glyphX: number;
  readonly glyphY: number;
  readonly glyphWidth: number;
  readonly label: PlacedText;
}

const LEGEND_GLYPH = 34;
const LEGEND_SPACING = 18;

const LEGEND: ReadonlyArray<{ readonly kind: LegendKind; readonly text: string }> = [
  { kind: 'segment', text: 'segment' },
  { kind: 'retransmission', text: 'retransmission' },
  { kind: 'rst', text: 'RST' },
  { kind: 'dropped', text: 'dropped on arrival' },
  { kind: 'state', text: 'state held (named outside)' },
  { kind: 'gap', text: 'time between rows (not to scale)' },
];

/** The legend's items left to right, wrapping to a new line before one would pass the right margin. */
export function legendOf(top: number, left: number, right: number, timed: boolean): LegendItem[] {
  const items: LegendItem[] = [];
  let x = left;
  let y = top;
  // A drawing (untimed) shows plain segments and states only.
  const shown = timed
    ? LEGEND
    : LEGEND.filter(({ kind }) => kind === 'segment' || kind === 'state');
  for (const { kind, text } of shown) {
    const itemWidth = LEGEND_GLYPH + 6 + textWidth(text, FONT_SIZE);
    if (x > left && x + itemWidth > right) {
      x = left;
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
