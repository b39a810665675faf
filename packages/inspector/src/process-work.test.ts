import { isBusyState, parseProcStat, parseSchedstat, readProcessWork } from './process-work';

describe('process work from procfs', () => {
  it('reads schedstat as ms on a CPU and ms waiting for one', () => {
    expect(parseSchedstat('351268346 2578497 44\n')).toEqual({
      cpuMs: 351.268346,
      queuedMs: 2.578497,
    });
    expect(parseSchedstat('garbage')).toBeUndefined();
  });

  it('reads stat past a process name with spaces and parentheses', () => {
    const line =
      '15788 (my (odd) name) S 15785 15785 1121 0 -1 4194304 97 0 0 0 12 3 0 0 20 0 1 0 202086 3133440 358';
    expect(parseProcStat(line)).toEqual({ state: 'S', cpuMs: 150 });
  });

  it("reads this process's own work, and nothing for a pid that does not exist", () => {
    const work = readProcessWork(process.pid);
    expect(work?.cpuMs).toBeGreaterThan(0);
    expect(work?.state).toBe('R');
    expect(readProcessWork(2 ** 22 + 1)).toBeUndefined();
  });

  it('counts running and disk-waiting processes as busy, sleeping ones not', () => {
    expect(['R', 'D', 'S', 'Z'].map(isBusyState)).toEqual([true, true, false, false]);
  });
});
