import { BAND_WIDTH, layoutLadder, type Arrow, type GapMark } from './ladder-layout';
import type { LadderInput } from './ladder-reading';
import type { LegendItem } from './ladder-legend';
import type { PlacedText } from './ladder-text';
import { STATE_COLOURS, escapeXml } from './timeline-svg';

const INK = '#222';
const RST_RED = '#d62728';
const DROPPED_GREY = '#999';
const DASHES = '5 3';

const n = (value: number): string => String(Math.round(value * 10) / 10);

/** A text element from the layout's placement; extra attributes (class, fill, weight) come verbatim. */
function textElement(text: PlacedText, attributes = ''): string {
  const anchor = text.anchor === 'start' ? '' : ` text-anchor="${text.anchor}"`;
  return `<text x="${n(text.x)}" y="${n(text.baseline)}" font-family="monospace" font-size="${text.fontSize}"${anchor}${attributes}>${escapeXml(text.text)}</text>`;
}

function markers(id: string): string {
  const marker = (markerId: string, fill: string): string =>
    `<marker id="${escapeXml(markerId)}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="${fill}"/></marker>`;
  return `<defs>${marker(`${id}-arrow`, INK)}${marker(`${id}-arrow-rst`, RST_RED)}</defs>`;
}

/** How a segment is stroked: red for RST, grey and without a head when dropped (that wins), dashed when repeated. */
function strokeOf(
  id: string,
  kind: { readonly rst: boolean; readonly dropped: boolean; readonly retransmission: boolean },
): string {
  const colour = kind.dropped ? DROPPED_GREY : kind.rst ? RST_RED : INK;
  const dashes = kind.retransmission ? ` stroke-dasharray="${DASHES}"` : '';
  const head = kind.dropped
    ? ''
    : ` marker-end="url(#${escapeXml(kind.rst ? `${id}-arrow-rst` : `${id}-arrow`)})"`;
  return `stroke="${colour}" stroke-width="1.3"${dashes}${head}`;
}

/** A small × centred at (x, y): where a dropped segment stopped. */
const cross = (x: number, y: number, colour: string): string =>
  `<path class="drop-cross" d="M${n(x - 4)},${n(y - 4)} L${n(x + 4)},${n(y + 4)} M${n(x - 4)},${n(y + 4)} L${n(x + 4)},${n(y - 4)}" stroke="${colour}" stroke-width="1.6"/>`;

function arrowElement(id: string, arrow: Arrow): string {
  const { reading } = arrow;
  const classes = [
    'segment',
    ...(reading.retransmission ? ['retransmission'] : []),
    ...(reading.rst ? ['rst'] : []),
    ...(reading.dropped ? ['dropped'] : []),
  ].join(' ');
  const flags = escapeXml(reading.segment.flags.join('+'));
  const line = `<line x1="${n(arrow.x1)}" y1="${n(arrow.y1)}" x2="${n(arrow.x2)}" y2="${n(arrow.y2)}" ${strokeOf(id, reading)}/>`;
  const fill = reading.dropped ? DROPPED_GREY : reading.rst ? RST_RED : INK;
  return `<g data-segment="${reading.index}" class="${classes}" data-flags="${flags}">${line}${reading.dropped ? cross(arrow.x2, arrow.y2, DROPPED_GREY) : ''}${textElement(arrow.label, ` fill="${fill}"`)}</g>`;
}

/** The gap's real length beside a bracket spanning it. */
function gapElement(gap: GapMark): string {
  const { x, top, bottom } = gap;
  const bracket = `<path d="M${n(x + 3)},${n(top + 2)} L${n(x)},${n(top + 2)} L${n(x)},${n(bottom - 2)} L${n(x + 3)},${n(bottom - 2)}" fill="none" stroke="#bbb"/>`;
  return `<g class="gap" data-gap-ms="${gap.gapMs.toFixed(3)}">${bracket}${textElement(gap.label, ' fill="#666"')}</g>`;
}

/** A legend item: the glyph drawn as the ladder draws that kind, then its text. */
function legendElement(id: string, item: LegendItem): string {
  const { glyphX: x, glyphY: y, glyphWidth: width } = item;
  const segment = (kind: { rst: boolean; dropped: boolean; retransmission: boolean }): string => {
    const end = kind.dropped ? x + width * 0.7 : x + width;
    const line = `<line x1="${n(x)}" y1="${n(y - 3)}" x2="${n(end)}" y2="${n(y + 3)}" ${strokeOf(id, kind)}/>`;
    return kind.dropped ? line + cross(end, y + 3, DROPPED_GREY) : line;
  };
  const plain = { rst: false, dropped: false, retransmission: false };
  const glyphs: Record<LegendItem['kind'], string> = {
    segment: segment(plain),
    retransmission: segment({ ...plain, retransmission: true }),
    rst: segment({ ...plain, rst: true }),
    dropped: segment({ ...plain, dropped: true }),
    state: `<rect x="${n(x + width / 2 - BAND_WIDTH / 2)}" y="${n(y - 7)}" width="${BAND_WIDTH}" height="14" fill="${STATE_COLOURS.ESTABLISHED ?? '#999'}"/>`,
    gap: `<path d="M${n(x + width / 2 + 3)},${n(y - 7)} L${n(x + width / 2)},${n(y - 7)} L${n(x + width / 2)},${n(y + 7)} L${n(x + width / 2 + 3)},${n(y + 7)}" fill="none" stroke="#bbb"/>`,
  };
  return `<g class="legend-item" data-legend="${item.kind}">${glyphs[item.kind]}${textElement(item.label, ' fill="#444"')}</g>`;
}

/**
 * The ladder diagram of one connection: a lifeline per end with the states it was in, an arrow per segment with its
 * flags and relative seq/ack, and the real time between rows at the left. Pure; self-contained SVG text out.
 */
export function renderLadderSvg(input: LadderInput): string {
  const layout = layoutLadder(input);
  const id = input.id;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" data-kind="ladder" class="ladder" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-labelledby="${escapeXml(`${id}-title`)}">`,
    `<title id="${escapeXml(`${id}-title`)}">${escapeXml(input.title)}</title>`,
    markers(id),
    textElement(layout.title, ' font-weight="bold" class="ladder-title"'),
  ];
  for (const lifeline of layout.lifelines) {
    parts.push(
      `<g class="lifeline" data-side="${lifeline.side}"><line x1="${n(lifeline.x)}" y1="${n(lifeline.top)}" x2="${n(lifeline.x)}" y2="${n(lifeline.bottom)}" stroke="#888"/>`,
      ...lifeline.header.map((text, line) =>
        textElement(text, line === 0 ? ' font-weight="bold"' : ' fill="#555"'),
      ),
      '</g>',
    );
  }
  for (const band of layout.bands) {
    parts.push(
      `<rect class="state-band" data-side="${band.side}" data-state="${escapeXml(band.state)}" x="${n(band.x - BAND_WIDTH / 2)}" y="${n(band.top)}" width="${BAND_WIDTH}" height="${n(Math.max(1, band.bottom - band.top))}" fill="${STATE_COLOURS[band.state] ?? '#999'}"><title>${escapeXml(band.state)}</title></rect>`,
    );
  }
  for (const name of layout.stateNames) {
    const tick = `<line x1="${n(name.label.x)}" y1="${n(name.y)}" x2="${n(name.side === 'left' ? name.label.x + BAND_WIDTH + 4 : name.label.x - BAND_WIDTH - 4)}" y2="${n(name.y)}" stroke="#333"/>`;
    const state = name.state === null ? 'gone' : escapeXml(name.state);
    parts.push(
      `<g class="state-name" data-side="${name.side}" data-state="${state}">${tick}${textElement(name.label, name.state === null ? ' fill="#888" font-style="italic"' : ' fill="#333"')}</g>`,
    );
  }
  parts.push(...layout.gaps.map(gapElement));
  parts.push(...layout.arrows.map((arrow) => arrowElement(id, arrow)));
  parts.push(
    `<g class="legend">${layout.legend.map((item) => legendElement(id, item)).join('')}</g>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}
