import type { Segment, TcpChange } from '@sockspec/records';
import { lanesOf, renderTimelineSvg } from './timeline-svg';

const client = { address: '127.0.0.1', port: 40000 };
const server = { address: '127.0.0.1', port: 8080 };
let seq = 0;
const change = (
  time: number,
  local: typeof client,
  remote: typeof client,
  from: string | null,
  to: string | null,
): TcpChange =>
  ({ seq: ++seq, time, key: `${local.port}>${remote.port}`, local, remote, from, to }) as TcpChange;

const changes = [
  change(1000, client, server, null, 'ESTABLISHED'),
  change(1000, server, client, null, 'ESTABLISHED'),
  change(1500, client, server, 'ESTABLISHED', 'FIN_WAIT2'),
  change(1500, server, client, 'ESTABLISHED', 'CLOSE_WAIT'),
  change(3000, server, client, 'CLOSE_WAIT', null),
  change(3000, client, server, 'FIN_WAIT2', 'TIME_WAIT'),
];
const fin: Segment = { time: 1500, from: client, to: server, flags: ['FIN', 'ACK'], length: 0 };

describe('lanesOf', () => {
  it('turns state changes into one bar per state, each ending at the next change or at the end', () => {
    const lanes = lanesOf({ changes, segments: [], started: 900, stopped: 4000 });
    expect(lanes.map((lane) => lane.local.port)).toEqual([8080, 40000]);
    expect(lanes[1]?.bars).toEqual([
      { state: 'ESTABLISHED', from: 1000, to: 1500 },
      { state: 'FIN_WAIT2', from: 1500, to: 3000 },
      { state: 'TIME_WAIT', from: 3000, to: 4000 },
    ]);
    expect(lanes[0]?.bars.map((bar) => bar.state)).toEqual(['ESTABLISHED', 'CLOSE_WAIT']);
  });
});

describe('renderTimelineSvg', () => {
  it('draws a lane per socket, a bar per state and an arrow per segment', () => {
    const svg = renderTimelineSvg(
      { changes, segments: [fin], started: 900, stopped: 4000 },
      'close <wait>',
    );
    expect(svg.match(/class="lane"/g)).toHaveLength(2);
    expect(svg.match(/class="state-bar"/g)).toHaveLength(5);
    expect(svg).toContain('data-state="CLOSE_WAIT"');
    expect(svg).toContain('class="segment" data-flags="FIN+ACK"');
    expect(svg).toContain('close &#60;wait&#62;');
  });

  it('names its arrow head after the id it is given, so pictures in one page share no id', () => {
    const input = { changes, segments: [fin], started: 900, stopped: 4000 };
    const svg = renderTimelineSvg(input, 't', 'sec-t1-timeline');
    expect([...svg.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'sec-t1-timeline-arrow',
    ]);
    expect(svg).toContain('marker-end="url(#sec-t1-timeline-arrow)"');
  });

  it('labels only the first of segments that fall on one spot; each keeps its flags as a tooltip', () => {
    const burst = [0, 0.02, 0.04, 0.05].map((offset) => ({ ...fin, time: 1500 + offset }));
    const svg = renderTimelineSvg({ changes, segments: burst, started: 900, stopped: 4000 }, 't');
    expect(svg.match(/<g class="segment"/g)).toHaveLength(4);
    expect(svg.match(/<text [^>]*font-size="9">FIN\+ACK<\/text>/g)).toHaveLength(1);
    expect(svg.match(/<title>FIN\+ACK<\/title>/g)).toHaveLength(4);
  });
});
