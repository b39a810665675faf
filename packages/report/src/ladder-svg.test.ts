import { formatGap, gapPitch, ladderLabelBoxes, layoutLadder } from './ladder-layout';
import {
  conversationsOf,
  type LadderDrop,
  type LadderEndpoint,
  type LadderInput,
  type LadderSegment,
  type LadderStateChange,
} from './ladder-reading';
import { renderLadderSvg } from './ladder-svg';
import type { LabelBox } from './ladder-text';

const T0 = 1_700_000_000_000;
const client = { address: '127.0.0.1', port: 40000 };
const server = { address: '127.0.0.1', port: 8080 };
const us = (micros: number): number => T0 + micros / 1000;

const segment = (
  time: number,
  from: LadderEndpoint,
  flags: string[],
  numbers: { seq?: number; ack?: number; length?: number } = {},
): LadderSegment => ({
  time,
  from,
  to: from === client ? server : client,
  flags,
  ...(numbers.seq === undefined ? {} : { seq: numbers.seq }),
  ...(numbers.ack === undefined ? {} : { ack: numbers.ack }),
  length: numbers.length ?? 0,
});

const change = (
  time: number,
  local: LadderEndpoint,
  from: string | null,
  to: string | null,
): LadderStateChange => ({ time, local, remote: local === client ? server : client, from, to });

const ladder = (
  id: string,
  segments: LadderSegment[],
  changes: LadderStateChange[] = [],
  drops: LadderDrop[] = [],
): LadderInput => ({
  id,
  title: `ladder ${id}`,
  left: { endpoint: client, role: 'client' },
  right: { endpoint: server, role: 'server' },
  segments,
  changes,
  drops,
});

// Client FIN, server ACK, server FIN, client ACK; most changes seen with a segment, two on their own rows.
const fourWay = ladder(
  'four-way',
  [
    segment(us(0), client, ['FIN', 'ACK'], { seq: 1001, ack: 5001 }),
    segment(us(46), server, ['ACK'], { ack: 1002 }),
    segment(us(103), server, ['FIN', 'ACK'], { seq: 5001, ack: 1002 }),
    segment(us(121), client, ['ACK'], { ack: 5002 }),
  ],
  [
    change(us(0), client, 'ESTABLISHED', 'FIN_WAIT1'),
    change(us(0), server, 'ESTABLISHED', 'CLOSE_WAIT'),
    change(us(46), client, 'FIN_WAIT1', 'FIN_WAIT2'),
    change(us(103), server, 'CLOSE_WAIT', 'LAST_ACK'),
    change(us(103), client, 'FIN_WAIT2', 'TIME_WAIT'),
    change(us(125), server, 'LAST_ACK', null),
    change(us(125) + 60_200, client, 'TIME_WAIT', null),
  ],
);

const threeWay = ladder('three-way', [
  segment(us(0), client, ['FIN', 'ACK'], { seq: 1001, ack: 5001 }),
  segment(us(40), server, ['FIN', 'ACK'], { seq: 5001, ack: 1002 }),
  segment(us(55), client, ['ACK'], { ack: 5002 }),
]);

const wholeConnection = ladder('whole', [
  segment(us(0), client, ['SYN'], { seq: 1000 }),
  segment(us(30), server, ['SYN', 'ACK'], { seq: 5000, ack: 1001 }),
  segment(us(45), client, ['ACK'], { ack: 5001 }),
  segment(us(2000), client, ['FIN', 'ACK'], { seq: 1001, ack: 5001 }),
  segment(us(2040), server, ['FIN', 'ACK'], { seq: 5001, ack: 1002 }),
  segment(us(2055), client, ['ACK'], { ack: 5002 }),
]);

// The server's ACKs are dropped on arrival, so the client sends its FIN again.
const droppedAcks = ladder(
  'dropped-acks',
  [
    segment(us(0), client, ['FIN', 'ACK'], { seq: 1001, ack: 5001 }),
    segment(us(50), server, ['ACK'], { ack: 1002 }),
    segment(T0 + 204, client, ['FIN', 'ACK'], { seq: 1001, ack: 5001 }),
    segment(T0 + 204.05, server, ['ACK'], { ack: 1002 }),
  ],
  [
    change(us(0), client, 'ESTABLISHED', 'FIN_WAIT1'),
    change(us(0), server, 'ESTABLISHED', 'CLOSE_WAIT'),
  ],
  [{ sourcePort: 8080, segments: 'ack-only', from: T0 - 1 }],
);

const reset = ladder(
  'reset',
  [
    segment(us(0), client, ['PSH', 'ACK'], { seq: 1001, ack: 5001, length: 5 }),
    segment(us(80), server, ['RST', 'ACK'], { seq: 5001, ack: 1006 }),
  ],
  [change(us(300), client, 'ESTABLISHED', null)],
);

/**
 * A long conversation: handshake, data with losses and retransmissions, teardown. Its many state changes, some on
 * both sides in one sample, cycle through states no real socket would in this order: they only stress the layout.
 */
function longConversation(): LadderInput {
  const segments: LadderSegment[] = [
    segment(us(0), client, ['SYN'], { seq: 100 }),
    segment(us(20), server, ['SYN', 'ACK'], { seq: 900, ack: 101 }),
    segment(us(35), client, ['ACK'], { ack: 901 }),
  ];
  const changes: LadderStateChange[] = [
    change(T0 - 3, client, null, 'SYN_SENT'),
    change(T0 - 3, server, null, 'LISTEN'),
    change(T0 + 1, client, 'SYN_SENT', 'ESTABLISHED'),
    change(T0 + 1, server, 'LISTEN', 'ESTABLISHED'),
  ];
  const cycle = ['NEW_SYN_RECV', 'CLOSING', 'ESTABLISHED'];
  let time = T0 + 2;
  let sent = 101;
  for (let round = 0; round < 15; round += 1) {
    time += [0.004, 0.3, 7, 1300, 15][round % 5] as number;
    segments.push(segment(time, client, ['PSH', 'ACK'], { seq: sent, ack: 901, length: 1448 }));
    if (round % 4 === 3) {
      time += 210;
      segments.push(segment(time, client, ['PSH', 'ACK'], { seq: sent, ack: 901, length: 1448 }));
    }
    sent += 1448;
    segments.push(segment(time + 0.03, server, ['ACK'], { ack: sent }));
    if (round % 3 === 0) {
      const step = round / 3;
      const [from, to] = [cycle[(step + 2) % 3] ?? null, cycle[step % 3] ?? null];
      changes.push(change(time + 0.5, client, from, to), change(time + 0.5, server, from, to));
    }
  }
  time += 3;
  segments.push(
    segment(time, client, ['FIN', 'ACK'], { seq: sent, ack: 901 }),
    segment(time + 0.02, server, ['ACK'], { ack: sent + 1 }),
    segment(time + 200, client, ['FIN', 'ACK'], { seq: sent, ack: 901 }),
    segment(time + 209, server, ['RST', 'ACK'], { seq: 901, ack: sent + 1 }),
  );
  changes.push(
    change(time, client, 'ESTABLISHED', 'FIN_WAIT1'),
    change(time + 0.02, server, 'ESTABLISHED', 'CLOSE_WAIT'),
    change(time + 1, client, 'FIN_WAIT1', 'FIN_WAIT2'),
    change(time + 209, server, 'CLOSE_WAIT', null),
    change(time + 210, client, 'FIN_WAIT2', null),
  );
  return {
    id: 'long',
    title:
      'a long conversation over IPv4-mapped loopback, with a title wider than the ladder itself',
    left: { endpoint: { address: '::ffff:127.0.0.1', port: 40000 }, role: 'active closer' },
    right: { endpoint: server, role: 'passive closer with a long role' },
    segments,
    changes,
    drops: [{ destinationPort: 40000, segments: 'ack-only', from: T0 + 1300, until: T0 + 1600 }],
  };
}

const examples = [
  fourWay,
  threeWay,
  wholeConnection,
  droppedAcks,
  reset,
  longConversation(),
  ladder('empty', []),
];

const segmentGroups = (svg: string): string[] =>
  svg.match(/<g data-segment="\d+"[^>]*>.*?<\/g>/g) ?? [];
const groupOf = (svg: string, index: number): string =>
  segmentGroups(svg).find((group) => group.startsWith(`<g data-segment="${index}"`)) ?? '';
const idsOf = (svg: string): string[] =>
  [...svg.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] as string);

describe('renderLadderSvg', () => {
  it('is a ladder SVG with a size, an accessible title and the title at the top', () => {
    const svg = renderLadderSvg({ ...fourWay, title: 'close <4-way>' });
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" data-kind="ladder" class="ladder" width="\d+" height="\d+"/,
    );
    expect(svg).toContain('<title id="four-way-title">close &#60;4-way&#62;</title>');
    expect(svg).toMatch(/class="ladder-title">close &#60;4-way&#62;<\/text>/);
    expect(svg).not.toMatch(/<script|href=|xlink/);
  });

  it('labels each lifeline with its endpoint and role', () => {
    const svg = renderLadderSvg(fourWay);
    expect(svg).toMatch(/>127\.0\.0\.1:40000<\/text>\n<text[^>]*>client<\/text>/);
    expect(svg).toMatch(/>127\.0\.0\.1:8080<\/text>\n<text[^>]*>server<\/text>/);
  });

  it('draws one group per segment, each with one text: flags, then seq and ack relative to each side', () => {
    const svg = renderLadderSvg(fourWay);
    const groups = segmentGroups(svg);
    expect(groups).toHaveLength(4);
    for (const group of groups) expect(group.match(/<text/g)).toHaveLength(1);
    const labels = groups.map((group) => /<text[^>]*>([^<]*)<\/text>/.exec(group)?.[1]);
    expect(labels).toEqual([
      'FIN+ACK seq 0 ack 0',
      'ACK ack 1',
      'FIN+ACK seq 0 ack 1',
      'ACK ack 1',
    ]);
    expect(groupOf(svg, 0)).toContain('data-flags="FIN+ACK"');
  });

  it('counts seq and ack from the ISNs when the handshake was captured', () => {
    const svg = renderLadderSvg(wholeConnection);
    const labels = segmentGroups(svg).map((group) => /<text[^>]*>([^<]*)<\/text>/.exec(group)?.[1]);
    expect(labels).toEqual([
      'SYN seq 0',
      'SYN+ACK seq 0 ack 1',
      'ACK ack 1',
      'FIN+ACK seq 1 ack 1',
      'FIN+ACK seq 1 ack 2',
      'ACK ack 2',
    ]);
  });

  it('labels a three-segment close with the FIN and the ACK merged', () => {
    const svg = renderLadderSvg(threeWay);
    expect(segmentGroups(svg)).toHaveLength(3);
    expect(groupOf(svg, 1)).toContain('>FIN+ACK seq 0 ack 1</text>');
  });

  it('labels each gap with its real length, from microseconds to a TIME_WAIT', () => {
    const svg = renderLadderSvg(fourWay);
    const gaps = [...svg.matchAll(/<g class="gap"[^>]*>.*?<text[^>]*>([^<]*)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(gaps).toEqual(['+0.046 ms', '+0.057 ms', '+0.018 ms', '+0.004 ms', '+60.2 s']);
  });

  it('gives a state change between segments its own row, and one coinciding with a segment none', () => {
    const layout = layoutLadder(fourWay);
    expect(layout.rows.map((row) => row.reading?.index ?? 'change')).toEqual([
      0,
      1,
      2,
      3,
      'change',
      'change',
    ]);
    expect(
      layout.stateNames.filter((name) => name.side === 'left').map((name) => name.state),
    ).toEqual(['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', null]);
    expect(layout.bands.filter((band) => band.side === 'right').map((band) => band.state)).toEqual([
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
    ]);
  });

  it('draws state bands in the state colours and names them outside the lifelines', () => {
    const svg = renderLadderSvg(fourWay);
    expect(svg).toContain('class="state-band" data-side="left" data-state="FIN_WAIT2"');
    expect(svg).toMatch(/data-state="FIN_WAIT2"[^>]*fill="#ee7733"/);
    const layout = layoutLadder(fourWay);
    const [left, right] = layout.lifelines;
    for (const name of layout.stateNames) {
      const { x, width } = name.label.box;
      if (name.side === 'left') expect(x + width).toBeLessThan(left?.x ?? 0);
      else expect(x).toBeGreaterThan(right?.x ?? 0);
    }
  });

  it('dashes a retransmission and greys out a dropped segment short of its receiver, with a cross', () => {
    const svg = renderLadderSvg(droppedAcks);
    expect(groupOf(svg, 0)).toContain('class="segment"');
    expect(groupOf(svg, 1)).toContain('class="segment dropped"');
    expect(groupOf(svg, 2)).toContain('class="segment retransmission"');
    expect(groupOf(svg, 2)).toContain('stroke-dasharray');
    expect(groupOf(svg, 3)).toContain('class="segment dropped"');
    expect(groupOf(svg, 1)).toContain('class="drop-cross"');
    expect(groupOf(svg, 1)).not.toContain('marker-end');
    const arrows = layoutLadder(droppedAcks).arrows;
    const [fin, ack] = arrows;
    expect(Math.abs((ack?.x2 ?? 0) - (ack?.x1 ?? 0))).toBeLessThan(
      0.8 * Math.abs((fin?.x2 ?? 0) - (fin?.x1 ?? 0)),
    );
  });

  it('draws an RST in red with its own arrow head', () => {
    const svg = renderLadderSvg(reset);
    expect(groupOf(svg, 1)).toContain('class="segment rst"');
    expect(groupOf(svg, 1)).toContain('marker-end="url(#reset-arrow-rst)"');
    expect(groupOf(svg, 1)).toContain('>RST+ACK seq 0 ack 5</text>');
    expect(groupOf(svg, 0)).toContain('>PSH+ACK seq 0 ack 0 len 5</text>');
  });

  it('explains each kind of drawing in a legend', () => {
    const svg = renderLadderSvg(fourWay);
    for (const kind of ['segment', 'retransmission', 'rst', 'dropped', 'state', 'gap'])
      expect(svg).toContain(`data-legend="${kind}"`);
  });

  it('prefixes every id with the input id, repeats none, and refers only to its own', () => {
    for (const input of examples) {
      const svg = renderLadderSvg(input);
      const ids = idsOf(svg);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(id.startsWith(input.id)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const [, ref] of svg.matchAll(/url\(#([^)]*)\)/g)) expect(ids).toContain(ref);
    }
    const one = idsOf(renderLadderSvg({ ...fourWay, id: 'one' }));
    const two = idsOf(renderLadderSvg({ ...fourWay, id: 'two' }));
    expect(one.filter((id) => two.includes(id))).toEqual([]);
  });

  it('escapes the title, roles and addresses', () => {
    const svg = renderLadderSvg({
      ...fourWay,
      title: 'a & b',
      left: { endpoint: client, role: '<client>' },
    });
    expect(svg).toContain('a &#38; b');
    expect(svg).toContain('&#60;client&#62;');
    expect(svg).not.toContain('<client>');
  });
});

describe('gap scale and labels', () => {
  it('formats gaps with 2-3 significant figures', () => {
    expect([0.046, 0.004, 1.234, 12.3, 340, 1200, 60_200, 245_000].map(formatGap)).toEqual([
      '+0.046 ms',
      '+0.004 ms',
      '+1.23 ms',
      '+12 ms',
      '+340 ms',
      '+1.20 s',
      '+60.2 s',
      '+245 s',
    ]);
  });

  it('draws longer gaps taller, slowly and within bounds', () => {
    const pitches = [0, 0.001, 0.046, 1, 12, 1200, 60_200, 1e9].map(gapPitch);
    for (let i = 1; i < pitches.length; i += 1)
      expect(pitches[i]).toBeGreaterThanOrEqual(pitches[i - 1] ?? 0);
    expect(Math.min(...pitches)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...pitches)).toBeLessThanOrEqual(100);
  });
});

describe('label layout', () => {
  const overlap = (a: LabelBox, b: LabelBox): boolean =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  it.each(examples.map((input) => [input.id, input] as const))(
    'keeps every text of %s clear of every other and inside the picture',
    (_id, input) => {
      const boxes = ladderLabelBoxes(input);
      const svg = renderLadderSvg(input);
      expect(svg.match(/<text /g)).toHaveLength(boxes.length);
      const clashes = boxes.flatMap((a, i) =>
        boxes.slice(i + 1).flatMap((b) => (overlap(a, b) ? [`${a.text} / ${b.text}`] : [])),
      );
      expect(clashes).toEqual([]);
      const layout = layoutLadder(input);
      for (const box of boxes) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(layout.width);
        expect(box.y + box.height).toBeLessThanOrEqual(layout.height);
      }
    },
  );

  it('lays out the long example with 40 segments and many state changes', () => {
    const input = longConversation();
    expect(input.segments).toHaveLength(40);
    expect(input.changes.length).toBeGreaterThan(10);
    const layout = layoutLadder(input);
    expect(layout.arrows.filter((arrow) => arrow.reading.retransmission)).toHaveLength(4);
    expect(layout.arrows.filter((arrow) => arrow.reading.dropped).length).toBeGreaterThan(0);
  });
});

describe('conversationsOf', () => {
  const other = { address: '127.0.0.1', port: 40002 };
  const mapped = (endpoint: LadderEndpoint): LadderEndpoint => ({
    ...endpoint,
    address: `::ffff:${endpoint.address}`,
  });
  const between = (
    time: number,
    from: LadderEndpoint,
    to: LadderEndpoint,
    flags: string[],
  ): LadderSegment => ({ time, from, to, flags, length: 0 });

  it('groups segments by endpoint pair, loopback spelt either way, with the changes of their sockets', () => {
    const segments = [
      between(T0 + 5, server, other, ['FIN', 'ACK']),
      between(T0 + 1, client, server, ['SYN']),
      between(T0 + 2, mapped(server), mapped(client), ['SYN', 'ACK']),
      between(T0 + 6, other, server, ['ACK']),
      between(T0 + 3, client, mapped(server), ['ACK']),
    ];
    const changes = [
      change(T0 + 1, client, null, 'SYN_SENT'),
      { time: T0 + 2, local: mapped(server), remote: client, from: null, to: 'ESTABLISHED' },
      { time: T0 + 5, local: server, remote: other, from: 'ESTABLISHED', to: 'FIN_WAIT1' },
      {
        time: T0,
        local: server,
        remote: { address: '0.0.0.0', port: 0 },
        from: null,
        to: 'LISTEN',
      },
    ];
    const conversations = conversationsOf(segments, changes);
    expect(conversations).toHaveLength(2);
    const [opened, closing] = conversations;
    expect(opened?.left).toEqual({ endpoint: client, role: 'client' });
    expect(opened?.right).toEqual({ endpoint: server, role: 'server' });
    expect(opened?.segments.map((s) => s.time)).toEqual([T0 + 1, T0 + 2, T0 + 3]);
    expect(opened?.changes.map((c) => c.to)).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(closing?.left).toEqual({ endpoint: server, role: 'sends first' });
    expect(closing?.right).toEqual({ endpoint: other, role: 'answers' });
    expect(closing?.segments).toHaveLength(2);
    expect(closing?.changes.map((c) => c.to)).toEqual(['FIN_WAIT1']);
  });

  it('puts the sender of the SYN on the left even when the other end was captured first', () => {
    const [conversation] = conversationsOf(
      [between(T0, server, client, ['RST']), between(T0 + 1, client, server, ['SYN'])],
      [],
    );
    expect(conversation?.left.endpoint).toEqual(client);
    expect(conversation?.right.role).toBe('server');
  });

  it('gives what renderLadderSvg needs', () => {
    const [conversation] = conversationsOf(fourWay.segments, fourWay.changes);
    expect(conversation).toBeDefined();
    if (conversation === undefined) return;
    const svg = renderLadderSvg({ id: 'c', title: 't', drops: [], ...conversation });
    expect(segmentGroups(svg)).toHaveLength(4);
  });
});
