import type { RunData, Segment, TcpChange, TimelineRecord } from '@sockspec/records';
import { renderHtml } from './render-html';
import { buildResults } from './results';

const T0 = 1_800_000_000_000;
const client = { address: '127.0.0.1', port: 49396 };
const server = { address: '127.0.0.1', port: 8080 };

const segment = (time: number, fromClient: boolean, flags: string[], ack: number): Segment => ({
  time,
  from: fromClient ? client : server,
  to: fromClient ? server : client,
  flags: flags as Segment['flags'],
  seq: fromClient ? 100 : 900,
  ack,
  length: 0,
});
const change = (
  time: number,
  ofClient: boolean,
  from: string | null,
  to: string | null,
): TcpChange =>
  ({
    seq: time,
    time,
    previousTime: time - 10,
    key: ofClient ? 'c' : 's',
    local: ofClient ? client : server,
    remote: ofClient ? server : client,
    from,
    to,
  }) as TcpChange;

/** One target of a scenario: a four-segment close, captured (pcap named), with the sampler's changes. */
const record = (scenario: string, pcap?: string): TimelineRecord => ({
  scenario,
  target: `container:${scenario.length}`,
  kind: 'container',
  kernel: '6.1',
  sysctls: { 'net.ipv4.tcp_fin_timeout': '60' },
  started: T0 - 1000,
  stopped: T0 + 61_000,
  changes: [
    change(T0 - 500, true, null, 'ESTABLISHED'),
    change(T0 - 500, false, null, 'ESTABLISHED'),
    change(T0 + 1, true, 'ESTABLISHED', 'FIN_WAIT2'),
    change(T0 + 1, false, 'ESTABLISHED', 'CLOSE_WAIT'),
    change(T0 + 424, true, 'FIN_WAIT2', 'TIME_WAIT'),
    change(T0 + 424, false, 'CLOSE_WAIT', null),
    change(T0 + 60_600, true, 'TIME_WAIT', null),
  ],
  segments: [
    segment(T0 + 0.251, true, ['FIN', 'ACK'], 900),
    segment(T0 + 0.416, false, ['ACK'], 101),
    segment(T0 + 423.077, false, ['FIN', 'ACK'], 101),
    segment(T0 + 423.087, true, ['ACK'], 901),
  ],
  ...(pcap === undefined ? {} : { captures: [{ port: 8080, pcap }] }),
});

const passed = (file: string, title: string) => ({
  file,
  durationMs: 1,
  tests: [{ ancestorTitles: [], title, fullName: title, status: 'passed' }],
});
const verdict = (claim: string, scenario: string) =>
  ({
    type: 'verdict',
    claim,
    verdict: 'holds',
    finding: 'yes',
    scenario,
    test: `t (${claim})`,
  }) as const;

const run: RunData = {
  measurements: [],
  settings: [],
  verdicts: [
    verdict('C1', 'teardown/teardown.spec.ts'),
    verdict('C12', 'teardown/time-wait.spec.ts'),
  ],
  records: [
    record('teardown/teardown.spec.ts', 'captures/close.pcap'),
    record('teardown/teardown.spec.ts'),
    record('teardown/time-wait.spec.ts'),
  ],
  specs: [
    passed('teardown/teardown.spec.ts', 't (C1)'),
    passed('teardown/time-wait.spec.ts', 't (C12)'),
  ],
};
const html = renderHtml(buildResults(run, 'now'), run.records);
const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] as string);

describe('renderHtml', () => {
  it('repeats no id anywhere in the page, and every in-page reference finds its id', () => {
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids).not.toContain('arrow');
    const refs = [
      ...[...html.matchAll(/url\(#([^)]*)\)/g)].map((m) => m[1]),
      ...[...html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1]),
    ];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(ids).toContain(ref);
  });

  it("gives each scenario section an anchor the claims table links to from the claim's row", () => {
    expect(html).toContain('<section class="scenario" id="scenario-teardown-teardown-spec-ts"');
    expect(html).toContain('<section class="scenario" id="scenario-teardown-time-wait-spec-ts"');
    const c1 = /<table id="claims">.*?<tr class="claim" data-claim="C1"[^>]*>(.*?)<\/tr>/s.exec(
      html,
    )?.[1];
    expect(c1).toContain(
      '<a href="#scenario-teardown-teardown-spec-ts">teardown/teardown.spec.ts</a>',
    );
  });

  it('draws a ladder per captured conversation beside each timeline, linking its pcap when recorded', () => {
    const timeWait =
      /<section[^>]*data-scenario="teardown\/time-wait.spec.ts".*?<\/section>/s.exec(html)?.[0] ??
      '';
    expect(timeWait.match(/<svg [^>]*class="timeline"/g)).toHaveLength(1);
    expect(timeWait.match(/<svg [^>]*data-kind="ladder"/g)).toHaveLength(1);
    expect(timeWait).toContain('+60.2 s');
    expect(html.match(/<a data-pcap href="captures\/close.pcap">pcap<\/a>/g)).toHaveLength(1);
    for (const group of html.match(/<g data-segment="\d+"[^>]*>.*?<\/g>/g) ?? [])
      expect(group.match(/<text /g)).toHaveLength(1);
  });

  it("shows the article's figure beside the kernel's in the section of the teardown claims only", () => {
    const comparisons = [
      ...html.matchAll(
        /<section[^>]*data-scenario="([^"]*)"(?:(?!<\/section>).)*class="article-vs-kernel"/gs,
      ),
    ];
    expect(comparisons.map((m) => m[1])).toEqual(['teardown/teardown.spec.ts']);
    expect(html).toContain('id="scenario-teardown-teardown-spec-ts-article-vs-kernel"');
    expect(html).toContain('No three-segment close was captured in this run.');
  });
});
