import type { TcpSocketEntry, TcpState, TimerKind } from '@sockspec/inspector';
import {
  nextSampleDelay,
  timelineWanted,
  timerLeadMs,
  type ScheduleInput,
} from './sample-schedule';

function entry(
  state: TcpState,
  local: string,
  remote: string,
  timer: { kind: TimerKind; remainingMs: number } = { kind: 'none', remainingMs: 0 },
): TcpSocketEntry {
  const [localAddress = '', localPort = '0'] = local.split(/:(?=\d+$)/);
  const [remoteAddress = '', remotePort = '0'] = remote.split(/:(?=\d+$)/);
  return {
    family: 'ipv4',
    state,
    local: { address: localAddress, port: Number(localPort) },
    remote: { address: remoteAddress, port: Number(remotePort) },
    txQueue: 0,
    rxQueue: 0,
    timer,
    retransmits: 0,
    uid: 0,
    timeouts: 0,
    inode: 1,
  };
}

const NOW = 1_000_000;
function input(entries: TcpSocketEntry[], overrides: Partial<ScheduleInput> = {}): ScheduleInput {
  return {
    now: NOW,
    sample: { time: NOW - 3, entries },
    denseUntil: 0,
    programsRunning: false,
    waitOpen: false,
    longPollOpen: false,
    captureRunning: false,
    agentPort: 7070,
    intervalMs: 10,
    policy: 'adaptive',
    ...overrides,
  };
}

/** The foresight of when the table can change: the whole policy when adaptive, and on demand while wanted. */
describe('nextSampleDelay', () => {
  it('samples every interval after a request, and while a program runs', () => {
    expect(nextSampleDelay(input([], { denseUntil: NOW + 500 }))).toBe(7);
    expect(nextSampleDelay(input([], { programsRunning: true }))).toBe(7);
  });

  it('pauses when nothing in the table has a timer and nothing else can act', () => {
    const table = [
      entry('LISTEN', '127.0.0.1:8080', '0.0.0.0:0'),
      entry('CLOSE_WAIT', '127.0.0.1:8080', '127.0.0.1:40000'),
    ];
    expect(nextSampleDelay(input(table))).toBeNull();
  });

  it('sleeps until just before the first kernel timer is due', () => {
    const table = [
      entry('TIME_WAIT', '127.0.0.1:40000', '127.0.0.1:8080', {
        kind: 'time-wait',
        remainingMs: 59_990,
      }),
      entry('FIN_WAIT2', '127.0.0.1:40001', '127.0.0.1:8080', {
        kind: 'time-wait',
        remainingMs: 4_000,
      }),
    ];
    expect(nextSampleDelay(input(table))).toBe(4_000 - 3 - timerLeadMs(10));
  });

  it('samples every interval once a timer is due or overdue', () => {
    const table = [
      entry('LAST_ACK', '127.0.0.1:8080', '127.0.0.1:40000', {
        kind: 'retransmit',
        remainingMs: 0,
      }),
    ];
    expect(nextSampleDelay(input(table))).toBe(7);
  });

  it("leaves the agent's own listener and control connections out", () => {
    const table = [
      entry('LISTEN', '0.0.0.0:7070', '0.0.0.0:0'),
      entry('TIME_WAIT', '172.17.0.2:7070', '172.17.0.1:51234', {
        kind: 'time-wait',
        remainingMs: 100,
      }),
    ];
    expect(nextSampleDelay(input(table))).toBeNull();
  });

  it('samples every interval while a peer outside the target can act: a listener on every address, a remote peer', () => {
    expect(nextSampleDelay(input([entry('LISTEN', '0.0.0.0:8010', '0.0.0.0:0')]))).toBe(7);
    expect(
      nextSampleDelay(input([entry('ESTABLISHED', '172.18.0.2:40000', '172.18.0.3:8010')])),
    ).toBe(7);
    expect(
      nextSampleDelay(
        input([entry('ESTABLISHED', '::ffff:127.0.0.1:40000', '::ffff:127.0.0.1:8010')]),
      ),
    ).toBeNull();
  });

  it('looks at least every WAIT_POLL_INTERVALS intervals while a wait is open, whatever it foresees', () => {
    // Nothing can change the table, or only a timer far ahead: without a wait it pauses or sleeps long.
    const idle = [entry('ESTABLISHED', '127.0.0.1:40000', '127.0.0.1:8080')];
    expect(nextSampleDelay(input(idle))).toBeNull();
    expect(nextSampleDelay(input(idle, { waitOpen: true }))).toBe(10 * 10 - 3);
    const far = [
      entry('TIME_WAIT', '127.0.0.1:40000', '127.0.0.1:8080', {
        kind: 'time-wait',
        remainingMs: 60_000,
      }),
    ];
    expect(nextSampleDelay(input(far, { waitOpen: true }))).toBe(97);
    // Sooner reasons keep their own, denser pace.
    expect(nextSampleDelay(input(idle, { waitOpen: true, programsRunning: true }))).toBe(7);
  });
});

describe('nextSampleDelay on demand', () => {
  const onDemand = (entries: TcpSocketEntry[], overrides: Partial<ScheduleInput> = {}) =>
    nextSampleDelay(input(entries, { policy: 'on-demand', ...overrides }));
  const timeWaitDue = [
    entry('TIME_WAIT', '127.0.0.1:40000', '127.0.0.1:8080', { kind: 'time-wait', remainingMs: 0 }),
  ];
  const outside = [entry('LISTEN', '0.0.0.0:8010', '0.0.0.0:0')];

  it('pauses while nothing reads the timeline, whatever could change the table', () => {
    // Each of these keeps the adaptive policy sampling every interval.
    expect(nextSampleDelay(input(timeWaitDue))).toBe(7);
    expect(nextSampleDelay(input(outside))).toBe(7);
    expect(nextSampleDelay(input([], { denseUntil: NOW + 500 }))).toBe(7);
    expect(onDemand(timeWaitDue)).toBeNull();
    expect(onDemand(outside)).toBeNull();
    expect(onDemand([], { denseUntil: NOW + 500 })).toBeNull();
  });

  it('samples as the adaptive policy does while a wait or a long poll is open', () => {
    const idle = [entry('ESTABLISHED', '127.0.0.1:40000', '127.0.0.1:8080')];
    for (const open of [{ waitOpen: true }, { longPollOpen: true }]) {
      expect(onDemand(timeWaitDue, open)).toBe(7);
      expect(onDemand(idle, open)).toBe(10 * 10 - 3);
      expect(onDemand(idle, open)).toBe(nextSampleDelay(input(idle, open)));
    }
  });

  it('samples every interval while a program runs', () => {
    expect(onDemand([], { programsRunning: true })).toBe(7);
  });

  it('samples while a capture runs when the table can change, and pauses when it cannot', () => {
    expect(onDemand(timeWaitDue, { captureRunning: true })).toBe(7);
    expect(onDemand([], { captureRunning: true, denseUntil: NOW + 500 })).toBe(7);
    const idle = [entry('ESTABLISHED', '127.0.0.1:40000', '127.0.0.1:8080')];
    expect(onDemand(idle, { captureRunning: true })).toBeNull();
  });
});

describe('timelineWanted', () => {
  it('holds while a wait, a long poll, a program or a capture is open, and only then', () => {
    expect(timelineWanted(input([]))).toBe(false);
    expect(timelineWanted(input([], { denseUntil: NOW + 500 }))).toBe(false);
    for (const open of ['waitOpen', 'longPollOpen', 'programsRunning', 'captureRunning'] as const) {
      expect(timelineWanted(input([], { [open]: true }))).toBe(true);
    }
  });
});
