import type { TimelineRecord } from '@sockspec/records';
import { renderLadderSvg } from './ladder-svg';
import { recordLadders } from './record-ladders';
import { escapeXml } from './timeline-svg';

/** A target's ladders side by side, each with a link to its pcap when the record names one; '' with no capture. */
export function renderLadderFigures(record: TimelineRecord, idPrefix: string): string {
  const ladders = recordLadders(record, idPrefix);
  if (ladders.length === 0) return '';
  const figures = ladders.map(({ input, pcap }) => {
    const link = pcap === undefined ? '' : ` <a data-pcap href="${escapeXml(pcap)}">pcap</a>`;
    return `<figure class="ladder-figure">${renderLadderSvg(input)}<figcaption>Captured in the target: ${input.segments.length} segments.${link}</figcaption></figure>`;
  });
  return `<div class="ladders">${figures.join('\n')}</div>`;
}
