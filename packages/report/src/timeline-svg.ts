import type { Endpoint, Segment, TcpChange } from '@sockspec/records';

/** What a timeline picture needs: a target's state changes and captured segments, and its time span. */
export interface TimelineInput {
  readonly changes: readonly TcpChange[];
  readonly segments: readonly Segment[];
  readonly started: number;
  readonly stopped: number;
}

export const STATE_COLOURS: Readonly<Record<string, string>> = {
  LISTEN: '#9aa5b1',
  SYN_SENT: '#f6c85f',
  SYN_RECV: '#f6c85f',
  NEW_SYN_RECV: '#f6c85f',
  ESTABLISHED: '#6fbf73',
  FIN_WAIT1: '#ff9f43',
  FIN_WAIT2: '#ee7733',
  CLOSING: '#d45087',
  TIME_WAIT: '#a05195',
  CLOSE_WAIT: '#4c9be8',
  LAST_ACK: '#2f4b7c',
  CLOSE: '#555555',
};

interface Bar {
  readonly state: string;
  readonly from: number;
  readonly to: number;
}

interface Lane {
  readonly key: string;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly bars: Bar[];
}

const LABEL_WIDTH = 250;
const PLOT_WIDTH = 860;
const LANE_HEIGHT = 24;
const TOP = 30;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const endpointText = (endpoint: Endpoint): string =>
  endpoint.port === 0 ? '*' : `${endpoint.address}:${endpoint.port}`;

/** One lane per socket, each with the state it was in from one change to the next. Pure. */
export function lanesOf(input: TimelineInput): Lane[] {
  const lanes = new Map<string, Lane>();
  const sorted = [...input.changes].sort((a, b) => a.seq - b.seq);
  for (const change of sorted) {
    let lane = lanes.get(change.key);
    if (lane === undefined) {
      lane = { key: change.key, local: change.local, remote: change.remote, bars: [] };
      lanes.set(change.key, lane);
    }
    const open = lane.bars[lane.bars.length - 1];
    if (open !== undefined && open.to === Infinity)
      lane.bars[lane.bars.length - 1] = { ...open, to: change.time };
    if (change.to !== null) lane.bars.push({ state: change.to, from: change.time, to: Infinity });
  }
  // A connection's two ends side by side: order by the pair of ports, then by local port.
  const pairKey = (lane: Lane): string => {
    const ports = [lane.local.port, lane.remote.port].sort((a, b) => a - b);
    return `${String(ports[0]).padStart(5, '0')}-${String(ports[1]).padStart(5, '0')}`;
  };
  return [...lanes.values()]
    .map((lane) => ({
      ...lane,
      bars: lane.bars.map((bar) => ({ ...bar, to: Math.min(bar.to, input.stopped) })),
    }))
    .sort((a, b) => pairKey(a).localeCompare(pairKey(b)) || a.local.port - b.local.port);
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && (a.address === b.address || a.address.endsWith(`:${b.address}`));
}

/** Estimated width of a segment label at font size 9, and the room it needs from the previous one. */
const labelRoom = (text: string): number => text.length * 5.6 + 6;

/**
 * The picture: one lane per socket with a coloured bar per state on a shared time axis, and each captured segment
 * as an arrow from the sending end's lane to the receiving end's, labelled with its flags where there is room (a
 * teardown's segments fall within a millisecond: the ladders show them apart). Pure; SVG text out. `id` must be
 * unique in the page: the arrow head's id starts with it.
 */
export function renderTimelineSvg(input: TimelineInput, title: string, id = 'timeline'): string {
  const markerId = escapeXml(`${id}-arrow`);
  const lanes = lanesOf(input);
  const times = [
    ...lanes.flatMap((lane) => lane.bars.flatMap((bar) => [bar.from, bar.to])),
    ...input.segments.map((segment) => segment.time),
  ].filter(Number.isFinite);
  const t0 = Math.min(...times, input.stopped);
  const t1 = Math.max(...times, t0 + 1);
  const x = (time: number): number => LABEL_WIDTH + ((time - t0) / (t1 - t0)) * PLOT_WIDTH;
  const y = (index: number): number => TOP + index * LANE_HEIGHT;
  const height = TOP + lanes.length * LANE_HEIGHT + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${LABEL_WIDTH + PLOT_WIDTH + 20}" height="${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<defs><marker id="${markerId}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#222"/></marker></defs>`,
    `<text x="4" y="16" font-size="12" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  lanes.forEach((lane, index) => {
    const label = `${endpointText(lane.local)} → ${endpointText(lane.remote)}`;
    parts.push(`<g class="lane" data-socket="${escapeXml(lane.key)}">`);
    parts.push(
      `<text x="4" y="${y(index) + 16}" font-size="11" font-family="monospace">${escapeXml(label)}</text>`,
    );
    for (const bar of lane.bars) {
      const width = Math.max(2, x(bar.to) - x(bar.from));
      const seconds = ((bar.to - bar.from) / 1000).toFixed(3);
      parts.push(
        `<rect class="state-bar" data-state="${bar.state}" x="${x(bar.from).toFixed(1)}" y="${y(index) + 4}" width="${width.toFixed(1)}" height="${LANE_HEIGHT - 8}" fill="${STATE_COLOURS[bar.state] ?? '#999'}"><title>${bar.state}: ${seconds} s</title></rect>`,
      );
      if (width > 70) {
        parts.push(
          `<text x="${(x(bar.from) + 3).toFixed(1)}" y="${y(index) + 16}" font-size="10" fill="#fff">${bar.state}</text>`,
        );
      }
    }
    parts.push('</g>');
  });
  // Where the last label between each pair of lanes ended: a label that would overlap it is left to the tooltip.
  const labelEnds = new Map<string, number>();
  for (const segment of input.segments) {
    const fromLane = lanes.findIndex(
      (lane) => sameEndpoint(lane.local, segment.from) && sameEndpoint(lane.remote, segment.to),
    );
    const toLane = lanes.findIndex(
      (lane) => sameEndpoint(lane.local, segment.to) && sameEndpoint(lane.remote, segment.from),
    );
    if (fromLane < 0 || toLane < 0) continue;
    const sx = x(segment.time);
    const y1 = y(fromLane) + LANE_HEIGHT / 2;
    const y2 = y(toLane) + LANE_HEIGHT / 2;
    const flags = segment.flags.join('+');
    const pair = [fromLane, toLane].sort((a, b) => a - b).join('-');
    const free = sx + 8 >= (labelEnds.get(pair) ?? -Infinity);
    if (free) labelEnds.set(pair, sx + 8 + labelRoom(flags));
    const label = free
      ? `<text x="${(sx + 8).toFixed(1)}" y="${((y1 + y2) / 2 + 3).toFixed(1)}" font-size="9">${flags}</text>`
      : '';
    parts.push(
      `<g class="segment" data-flags="${flags}"><title>${flags}</title><line x1="${sx.toFixed(1)}" y1="${y1}" x2="${(sx + 6).toFixed(1)}" y2="${y2}" stroke="#222" stroke-width="1.2" marker-end="url(#${markerId})"/>${label}</g>`,
    );
  }
  const axisY = TOP + lanes.length * LANE_HEIGHT + 14;
  parts.push(
    `<line x1="${LABEL_WIDTH}" y1="${axisY - 8}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${axisY - 8}" stroke="#888"/>`,
  );
  for (let i = 0; i <= 5; i += 1) {
    const time = t0 + ((t1 - t0) * i) / 5;
    parts.push(
      `<text x="${x(time).toFixed(1)}" y="${axisY + 4}" font-size="10" text-anchor="middle">${((time - t0) / 1000).toFixed(2)} s</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
