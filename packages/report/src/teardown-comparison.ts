import type { TimelineRecord } from '@sockspec/records';
import { articleFourWay, articleThreeWay } from './article-ladders';
import { readSegments, type LadderInput, type SegmentReading } from './ladder-reading';
import { renderLadderSvg } from './ladder-svg';
import { recordLadders, type RecordLadder } from './record-ladders';
import { escapeXml } from './timeline-svg';

export type TeardownCase = 'four-segment' | 'three-segment';

/** Who sent each segment from the first FIN on (the closer: A) and whether it carried a FIN, e.g. `A FIN`, `B ACK`. */
function closeSteps(readings: readonly SegmentReading[]): string[] {
  const first = readings.findIndex((reading) => reading.segment.flags.includes('FIN'));
  if (first < 0) return [];
  const closer = readings[first]?.sender;
  return readings
    .slice(first)
    .map(
      (reading) =>
        `${reading.sender === closer ? 'A' : 'B'} ${reading.segment.flags.includes('FIN') ? 'FIN' : 'ACK'}`,
    );
}

const SHAPES: Readonly<Record<TeardownCase, string>> = {
  'four-segment': 'A FIN,B ACK,B FIN,A ACK',
  'three-segment': 'A FIN,B FIN,A ACK',
};

/** Which textbook close a captured conversation is, if it is a clean one (no RST, drop or retransmission). */
export function teardownCase(input: LadderInput): TeardownCase | null {
  const readings = readSegments(input);
  if (readings.some((reading) => reading.rst || reading.dropped || reading.retransmission))
    return null;
  const steps = closeSteps(readings).join(',');
  const match = Object.entries(SHAPES).find(([, shape]) => shape === steps);
  return match === undefined ? null : (match[0] as TeardownCase);
}

/** The first captured conversation of each case, in record order. */
export function measuredTeardowns(
  records: readonly TimelineRecord[],
): Partial<Record<TeardownCase, RecordLadder & { readonly target: string }>> {
  const found: Partial<Record<TeardownCase, RecordLadder & { readonly target: string }>> = {};
  records.forEach((record, index) => {
    for (const ladder of recordLadders(record, `t${index + 1}`)) {
      const kind = teardownCase(ladder.input);
      if (kind !== null && found[kind] === undefined)
        found[kind] = { ...ladder, target: record.target };
    }
  });
  return found;
}

/** The ends named by their part in the close, as the article names them. */
function closerRoles(input: LadderInput): LadderInput {
  const [first] = readSegments(input).filter((reading) => reading.segment.flags.includes('FIN'));
  const leftCloses = first?.sender !== 'right';
  const role = (closes: boolean): string =>
    closes ? 'closes first (active)' : 'closed on (passive)';
  return {
    ...input,
    left: { ...input.left, role: role(leftCloses) },
    right: { ...input.right, role: role(!leftCloses) },
  };
}

const CASES: ReadonlyArray<{
  readonly kind: TeardownCase;
  readonly heading: string;
  readonly article: (id: string) => LadderInput;
}> = [
  { kind: 'four-segment', heading: 'Four segments', article: articleFourWay },
  {
    kind: 'three-segment',
    heading: 'Three segments: ACK and FIN merged',
    article: articleThreeWay,
  },
];

/**
 * The article's figure beside the kernel's: for the four- and three-segment close, the textbook drawing (fixed, not
 * measured) and the first matching conversation the scenario captured, with its real gaps. Ids start with idPrefix.
 */
export function renderTeardownComparison(
  records: readonly TimelineRecord[],
  idPrefix: string,
): string {
  const measured = measuredTeardowns(records);
  const rows = CASES.map(({ kind, heading, article }) => {
    const drawing = renderLadderSvg(article(`${idPrefix}-${kind}-article`));
    const found = measured[kind];
    const kernel =
      found === undefined
        ? `<p class="missing">No ${kind} close was captured in this run.</p>`
        : renderLadderSvg({
            ...closerRoles(found.input),
            id: `${idPrefix}-${kind}-kernel`,
            title: `What the kernel did, measured on ${found.target}`,
          });
    return `<div class="pair" data-case="${kind}"><h4>${escapeXml(heading)}</h4>
<figure data-source="article">${drawing}<figcaption>The article's drawing: the textbook sequence, not a measurement.</figcaption></figure>
<figure data-source="kernel">${kernel}<figcaption>Measured: segments from tcpdump in the target, states from its sampler.</figcaption></figure></div>`;
  });
  return `<div class="article-vs-kernel" id="${escapeXml(idPrefix)}"><h3>The article's figure and what the kernel did</h3>
<p>Left, the ladder every TCP article draws; right, a connection of this run drawn the same way from its capture. Time runs down; gaps are not to scale but labelled with their measured length.</p>
${rows.join('\n')}</div>`;
}
