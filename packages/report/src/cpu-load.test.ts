import { pollUntil } from '@sockspec/test-support';
import { CpuLoad } from './cpu-load';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('CpuLoad', () => {
  it('keeps the asked number of spinning processes until stopped, and none after', async () => {
    const load = new CpuLoad(2);
    load.start();
    load.start(); // a second start adds none
    const pids = load.pids();
    expect(pids).toHaveLength(2);
    expect(pids.every(alive)).toBe(true);
    load.stop();
    expect(load.pids()).toEqual([]);
    await expect(pollUntil(() => !pids.some(alive), { timeoutMs: 3_000 })).resolves.toBe(true);
  });

  it('starts nothing for a load of 0', () => {
    const load = new CpuLoad(0);
    load.start();
    expect(load.pids()).toEqual([]);
  });
});
