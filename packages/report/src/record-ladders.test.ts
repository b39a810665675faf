import type { TimelineRecord } from '@sockspec/records';
import type { Segment, TcpChange } from '@sockspec/records';
import { recordLadders } from './record-ladders';
import { measuredTeardowns, renderTeardownComparison, teardownCase } from './teardown-comparison';
import { articleFourWay, articleThreeWay } from './article-ladders';
import { ladderLabelBoxes, layoutLadder } from './ladder-layout';
import type { LabelBox } from './ladder-text';

const T0 = 1_800_000_000_000;
type End = { address: string; port: number };
const end = (port: number): End => ({ address: '127.0.0.1', port });

let changeSeq = 0;
function segment(
  time: number,
  from: End,
  to: End,
  flags: string[],
  seq?: number,
  ack?: number,
): Segment {
  return {
    time,
    from,
    to,
    flags: flags as Segment['flags'],
    length: 0,
    ...(seq === undefined ? {} : { seq }),
    ...(ack === undefined ? {} : { ack }),
  };
}
function change(
  time: number,
  local: End,
  remote: End,
  from: string | null,
  to: string | null,
): TcpChange {
  changeSeq += 1;
  return {
    seq: changeSeq,
    time,
    previousTime: time - 10,
    key: `${local.port}>${remote.port}`,
    local,
    remote,
    from,
    to,
  } as TcpChange;
}

/** A target record: four-segment close on 49396/8080, three-segment close on 40776/8083. */
function teardownRecord(extra: Partial<TimelineRecord> = {}): TimelineRecord {
  const [a, b, c, d] = [end(49396), end(8080), end(40776), end(8083)];
  return {
    scenario: 'teardown/teardown.spec.ts',
    target: 'container:abc',
    kind: 'container',
    kernel: '6.1',
    sysctls: {},
    started: T0 - 1000,
    stopped: T0 + 2000,
    changes: [
      change(T0 - 500, a, b, null, 'ESTABLISHED'),
      change(T0 - 500, b, a, null, 'ESTABLISHED'),
      change(T0 + 1, a, b, 'ESTABLISHED', 'FIN_WAIT2'),
      change(T0 + 1, b, a, 'ESTABLISHED', 'CLOSE_WAIT'),
      change(T0 + 424, a, b, 'FIN_WAIT2', 'TIME_WAIT'),
      change(T0 + 424, b, a, 'CLOSE_WAIT', null),
      change(T0 + 1001, c, d, 'ESTABLISHED', 'TIME_WAIT'),
      change(T0 + 1001, d, c, 'ESTABLISHED', null),
    ],
    segments: [
      segment(T0 + 0.251, a, b, ['FIN', 'ACK'], 1506392740, 1209630474),
      segment(T0 + 0.416, b, a, ['ACK'], undefined, 1506392741),
      segment(T0 + 423.077, b, a, ['FIN', 'ACK'], 1209630474, 1506392741),
      segment(T0 + 423.087, a, b, ['ACK'], undefined, 1209630475),
      segment(T0 + 1000.961, c, d, ['FIN', 'ACK'], 700, 900),
      segment(T0 + 1000.978, d, c, ['FIN', 'ACK'], 900, 701),
      segment(T0 + 1000.994, c, d, ['ACK'], undefined, 901),
    ],
    ...extra,
  };
}

const overlap = (a: LabelBox, b: LabelBox): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const clashes = (boxes: readonly LabelBox[]): string[] =>
  boxes.flatMap((a, i) =>
    boxes.slice(i + 1).flatMap((b) => (overlap(a, b) ? [`${a.text} / ${b.text}`] : [])),
  );

describe('recordLadders', () => {
  it('gives one ladder per captured connection, ids from the prefix, seq/ack relative', () => {
    const ladders = recordLadders(teardownRecord(), 'sec-t1');
    expect(ladders.map((ladder) => ladder.input.id)).toEqual(['sec-t1-c1', 'sec-t1-c2']);
    expect(ladders[0]?.input.segments).toHaveLength(4);
    expect(ladders[0]?.pcap).toBeUndefined();
    const layout = layoutLadder(ladders[0]?.input ?? articleFourWay('x'));
    expect(layout.arrows.map((arrow) => arrow.label.text)).toEqual([
      'FIN+ACK seq 0 ack 0',
      'ACK ack 1',
      'FIN+ACK seq 0 ack 1',
      'ACK ack 1',
    ]);
  });

  it("starts each state at the segment that caused it, not at the sampler's tick", () => {
    const [ladder] = recordLadders(teardownRecord(), 'p');
    const layout = layoutLadder(ladder?.input ?? articleFourWay('x'));
    const rowOf = (state: string): number | undefined =>
      layout.rows.findIndex((row) => Object.values(row.changes).some((c) => c?.to === state));
    // Row 0: both ends appear ESTABLISHED; then FIN (CLOSE_WAIT arrives with it), ACK (FIN_WAIT2), FIN, ACK.
    expect([rowOf('CLOSE_WAIT'), rowOf('FIN_WAIT2'), rowOf('TIME_WAIT')]).toEqual([1, 2, 3]);
  });

  it('links the pcap of the capture on either port', () => {
    const withPcap = teardownRecord({ captures: [{ port: 8083, pcap: 'captures/c5.pcap' }] });
    expect(recordLadders(withPcap, 'p').map((ladder) => ladder.pcap)).toEqual([
      undefined,
      'captures/c5.pcap',
    ]);
    const unsaved = teardownRecord({ captures: [{ port: 8080 }] });
    expect(recordLadders(unsaved, 'p')[0]?.pcap).toBeUndefined();
  });

  it('marks the segments a drop rule held back', () => {
    const record = teardownRecord({
      drops: [{ sourcePort: 8080, segments: 'ack-only', from: T0, until: T0 + 10 }],
    });
    const [ladder] = recordLadders(record, 'p');
    const dropped = layoutLadder(ladder?.input ?? articleFourWay('x')).arrows.map(
      (arrow) => arrow.reading.dropped,
    );
    expect(dropped).toEqual([false, true, false, false]);
  });
});

describe('the teardown comparison', () => {
  it('tells the four-segment close from the three-segment one, and a retransmitting one from both', () => {
    const [four, three] = recordLadders(teardownRecord(), 'p').map((ladder) => ladder.input);
    expect(four && teardownCase(four)).toBe('four-segment');
    expect(three && teardownCase(three)).toBe('three-segment');
    expect(teardownCase(articleFourWay('a'))).toBe('four-segment');
    expect(teardownCase(articleThreeWay('a'))).toBe('three-segment');
    if (four === undefined) return;
    const repeated = { ...four, segments: [...four.segments, four.segments[2] as Segment] };
    expect(
      teardownCase({
        ...repeated,
        segments: [...repeated.segments].sort((x, y) => x.time - y.time),
      }),
    ).toBeNull();
  });

  it('finds one measured conversation per case', () => {
    const found = measuredTeardowns([teardownRecord()]);
    expect(found['four-segment']?.input.segments).toHaveLength(4);
    expect(found['three-segment']?.input.segments).toHaveLength(3);
  });

  it("sets the article's drawing, labelled as such, beside the kernel's measured ladder, for both cases", () => {
    const html = renderTeardownComparison([teardownRecord()], 'cmp');
    expect(html.match(/<figure data-source="article"><svg [^>]*data-kind="ladder"/g)).toHaveLength(
      2,
    );
    expect(html.match(/<figure data-source="kernel"><svg [^>]*data-kind="ladder"/g)).toHaveLength(
      2,
    );
    expect(html).toContain('The article&#39;s drawing: four-way close (not measured)');
    expect(html).toContain('id="cmp-four-segment-kernel-title"');
    expect(html).toMatch(/class="gap"[^>]*>.*?\+423 ms/s);
    expect(html).toMatch(/>127\.0\.0\.1:49396<\/text>\n<text[^>]*>closes first \(active\)<\/text>/);
  });

  it('says so when the run captured no close of a case', () => {
    const html = renderTeardownComparison([], 'cmp');
    expect(html).toContain('No four-segment close was captured in this run.');
    expect(html.match(/data-kind="ladder"/g)).toHaveLength(2);
  });
});

describe("the article's drawings", () => {
  it.each([articleFourWay('four'), articleThreeWay('three')])(
    'are untimed, name their ends without addresses, and keep their labels apart: $id',
    (input) => {
      const layout = layoutLadder(input);
      expect(layout.gaps).toEqual([]);
      expect(layout.legend.map((item) => item.kind)).toEqual(['segment', 'state']);
      expect(layout.lifelines.map((line) => line.header[0]?.text)).toEqual(['A', 'B']);
      expect(clashes(ladderLabelBoxes(input))).toEqual([]);
    },
  );

  it('walk the states the article names', () => {
    const names = layoutLadder(articleFourWay('four')).stateNames.map(
      (name) => `${name.side} ${name.state}`,
    );
    expect(names).toEqual([
      'left ESTABLISHED',
      'left FIN_WAIT1',
      'left FIN_WAIT2',
      'left TIME_WAIT',
      'left null',
      'right ESTABLISHED',
      'right CLOSE_WAIT',
      'right LAST_ACK',
      'right null',
    ]);
  });
});
