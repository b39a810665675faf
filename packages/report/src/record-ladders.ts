import type { TimelineRecord } from '@sockspec/records';
import { alignChanges } from './change-timing';
import { conversationsOf, endpointText, type LadderInput } from './ladder-reading';

/** One captured conversation ready to draw, and the pcap file it came from (relative to the report), if saved. */
export interface RecordLadder {
  readonly input: LadderInput;
  readonly pcap?: string;
}

/** The pcap of the capture on either end's port, if the record names one. */
function pcapOf(record: TimelineRecord, ports: readonly number[]): string | undefined {
  return (record.captures ?? []).find(
    (capture) => ports.includes(capture.port) && capture.pcap !== undefined,
  )?.pcap;
}

/**
 * A ladder per connection the target's captures saw, with the sampler's state changes moved to the segments that
 * caused them and the spec's drop rules marking what was held back. Ids start with idPrefix. Pure.
 */
export function recordLadders(record: TimelineRecord, idPrefix: string): RecordLadder[] {
  const changes = alignChanges(record.changes, record.segments);
  return conversationsOf(record.segments, changes).map((conversation, index) => {
    const input: LadderInput = {
      id: `${idPrefix}-c${index + 1}`,
      title: `${endpointText(conversation.left.endpoint)} and ${endpointText(conversation.right.endpoint)}, as captured`,
      ...conversation,
      drops: record.drops ?? [],
    };
    const pcap = pcapOf(record, [
      conversation.left.endpoint.port,
      conversation.right.endpoint.port,
    ]);
    return pcap === undefined ? { input } : { input, pcap };
  });
}
