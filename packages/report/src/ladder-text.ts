/** A ladder's texts: the font's estimated metrics, and a text placed with the box it reserves. Pure. */

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

export const FONT_SIZE = 11;
export const TITLE_FONT_SIZE = 13;
// Of the font size: a monospace character's advance (common fonts: 0.6), and a line's ascent plus descent.
const CHAR_WIDTH = 0.62;
const LINE_HEIGHT = 1.3;
export const LINE = FONT_SIZE * LINE_HEIGHT;

/** Estimated width of a text in the monospace font the ladder uses. */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * CHAR_WIDTH;
}

/** A text anchored at x with its box's top at `top`; the box is what the layout keeps clear of other texts. */
export function placeText(
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

export const boxBottom = (text: PlacedText): number => text.box.y + text.box.height;
export const boxRight = (text: PlacedText): number => text.box.x + text.box.width;
export const widest = (texts: readonly string[]): number =>
  Math.max(0, ...texts.map((text) => textWidth(text, FONT_SIZE)));
