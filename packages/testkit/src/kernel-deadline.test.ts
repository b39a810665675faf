import { deadlineOf, intersect, kernelDeadline, timerRuns } from './kernel-deadline';

describe('deadlineOf', () => {
  it('places the deadline after the read start less a jiffy, before the read end plus a procfs tick', () => {
    expect(deadlineOf({ start: 1_000, end: 1_005, remainingMs: 59_990 })).toEqual({
      earliest: 60_980,
      latest: 61_005,
    });
  });
});

describe('kernelDeadline', () => {
  it('narrows a read the scheduler stretched with the readings around it', () => {
    const stretched = { start: 1_000, end: 1_900, remainingMs: 59_000 };
    const quick = { start: 2_000, end: 2_004, remainingMs: 58_000 };
    expect(kernelDeadline([stretched, quick])).toEqual({ earliest: 59_990, latest: 60_014 });
  });

  it('refuses readings of two timers and a deadline with no reading', () => {
    const before = { start: 0, end: 5, remainingMs: 60_000 };
    const restarted = { start: 3_000, end: 3_005, remainingMs: 60_000 };
    expect(() => kernelDeadline([before, restarted])).toThrow('disagree');
    expect(() => kernelDeadline([])).toThrow('no reading');
  });
});

describe('intersect', () => {
  it('answers undefined for intervals that share no moment', () => {
    expect(
      intersect([
        { earliest: 0, latest: 1 },
        { earliest: 2, latest: 3 },
      ]),
    ).toBeUndefined();
    expect(intersect([])).toBeUndefined();
  });
});

describe('timerRuns', () => {
  it('starts a new run where the kernel started the timer over', () => {
    const readings = [
      { start: 0, end: 5, remainingMs: 60_000 },
      { start: 1_000, end: 1_005, remainingMs: 59_000 },
      { start: 3_500, end: 3_505, remainingMs: 60_000 },
      { start: 4_000, end: 4_005, remainingMs: 59_500 },
    ];
    expect(timerRuns(readings).map((run) => run.length)).toEqual([2, 2]);
    expect(timerRuns([])).toEqual([]);
  });
});
