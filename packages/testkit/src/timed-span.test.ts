import {
  assertRemoval,
  assertTimerLength,
  durationBetween,
  removalAfterDeadline,
  timerLength,
  timingOf,
} from './timed-span';

// A TIME_WAIT entered at 10 000 (the server's FIN), its deadline read as [69 995, 70 015].
const state = {
  entered: 10_000,
  timerSetBy: 10_030,
  deadline: { earliest: 69_995, latest: 70_015 },
  removed: { earliest: 71_000, latest: 72_400 },
};

describe('durationBetween', () => {
  it('spans from the earliest end to the latest, reported as the midpoint +- half', () => {
    expect(
      durationBetween({ earliest: 0, latest: 10 }, { earliest: 100, latest: 130 }, ['sampler']),
    ).toEqual({
      leastMs: 90,
      mostMs: 130,
      valueMs: 110,
      uncertaintyMs: 20,
      by: ['sampler'],
    });
  });
});

describe('a state timed by the kernel', () => {
  it("times the timer from the captured segment to the kernel's deadline", () => {
    const length = timerLength(state);
    expect(length).toMatchObject({ valueMs: 60_005, uncertaintyMs: 10 });
    expect(timingOf(length)).toEqual({ by: ['capture', 'kernel-timer'], uncertaintyMs: 10 });
  });

  it('times the removal from the deadline, by the samples around it', () => {
    expect(removalAfterDeadline(state)).toMatchObject({
      leastMs: 985,
      mostMs: 2_405,
      by: ['kernel-timer', 'sampler'],
    });
  });
});

describe('assertTimerLength', () => {
  it('accepts the length the kernel sets', () => {
    expect(() => assertTimerLength(state, 60_000, 'TIME_WAIT')).not.toThrow();
    // A starved reader that first showed the timer seconds later proves less, and fails nothing.
    expect(() =>
      assertTimerLength({ ...state, timerSetBy: 12_000 }, 60_000, 'TIME_WAIT'),
    ).not.toThrow();
  });

  it('refuses a deadline too soon after the segment, or too late after the first read that showed the timer', () => {
    expect(() => assertTimerLength(state, 60_100, 'TIME_WAIT')).toThrow(
      "TIME_WAIT: the kernel's timer ran 60005 ms +- 10 ms from the segment that began it, not 60100 ms: its " +
        'deadline came too soon',
    );
    expect(() => assertTimerLength(state, 5_000, 'TIME_WAIT')).toThrow(
      'more than 5000 ms after a read 30 ms',
    );
  });
});

describe('assertRemoval', () => {
  it('accepts a removal after the deadline, within the lateness allowed, however wide the samples leave it', () => {
    expect(() => assertRemoval(state, 4_200, 'TIME_WAIT')).not.toThrow();
    const starved = { ...state, removed: { earliest: 20_000, latest: 90_000 } };
    expect(() => assertRemoval(starved, 4_200, 'TIME_WAIT')).not.toThrow();
  });

  it('refuses a removal seen before the deadline, and one still listed past the lateness allowed', () => {
    const early = { ...state, removed: { earliest: 60_000, latest: 65_000 } };
    expect(() => assertRemoval(early, 4_200, 'TIME_WAIT')).toThrow('removed before');
    const late = { ...state, removed: { earliest: 75_000, latest: 75_010 } };
    expect(() => assertRemoval(late, 4_200, 'TIME_WAIT')).toThrow('more than the 4200 ms');
  });
});
