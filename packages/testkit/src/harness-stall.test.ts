import { HarnessStall, ProgressWatch } from './harness-stall';

describe('ProgressWatch', () => {
  it('calls a step hung once nothing behind it moved for its budget', () => {
    const watch = new ProgressWatch(0, 100);
    watch.observe(100, false, 1_000);
    watch.observe(101, false, 5_000); // 1 ms: noise
    expect(watch.verdict('step', 10_000, 60_000, [1, 1, 1], 9_000)).toBeUndefined();
    const stall = watch.verdict('step', 10_000, 60_000, [1.5, 1, 1], 10_000);
    expect(stall).toBeInstanceOf(HarnessStall);
    expect(stall?.message).toMatch(
      /^harness: step did not happen: waited 10\.0 s, and nothing behind it ran/,
    );
    expect(stall?.message).toContain('load average 1.50 1.00 1.00');
    expect(stall?.message).toContain('not the kernel under test');
  });

  it('keeps waiting while the processes work or are busy, up to the ceiling', () => {
    const watch = new ProgressWatch(0);
    for (let t = 1_000; t < 60_000; t += 1_000) {
      watch.observe(t, false, t); // 1 s of work per second
      expect(watch.verdict('step', 10_000, 60_000, [0, 0, 0], t)).toBeUndefined();
    }
    watch.observe(60_000, true, 60_000);
    expect(watch.verdict('step', 10_000, 60_000, [0, 0, 0], 60_000)?.message).toContain(
      'still moving, up to the ceiling of 60.0 s',
    );
  });

  it("counts the first reading's work as progress when the wait starts from nothing: a process just started", () => {
    const watch = new ProgressWatch(0);
    watch.observe(300, false, 1_200); // the program computed for 300 ms before the first reading
    expect(watch.verdict('step', 1_000, 60_000, [0, 0, 0], 2_000)).toBeUndefined();
    const resumed = new ProgressWatch(0, 300); // a wait that starts where an earlier reading left off
    resumed.observe(300, false, 1_200);
    expect(resumed.verdict('step', 1_000, 60_000, [0, 0, 0], 1_200)).toBeInstanceOf(HarnessStall);
  });

  it('counts a busy process as progress even when its work reads the same', () => {
    const watch = new ProgressWatch(0);
    watch.observe(0, true, 9_000);
    expect(watch.verdict('step', 10_000, 60_000, [0, 0, 0], 12_000)).toBeUndefined();
  });
});
