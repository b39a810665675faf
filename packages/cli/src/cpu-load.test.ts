import { pollUntil } from '@sockspec/test-support';
import { processAlive } from '@sockspec/testkit/runner';
import { CpuLoad } from './cpu-load';

describe('CpuLoad', () => {
  it('keeps the asked number of spinning processes until stopped, and none after', async () => {
    const load = new CpuLoad(2);
    load.start();
    load.start(); // a second start adds none
    const pids = load.pids();
    expect(pids).toHaveLength(2);
    expect(pids.every(processAlive)).toBe(true);
    load.stop();
    expect(load.pids()).toEqual([]);
    await expect(pollUntil(() => !pids.some(processAlive), { timeoutMs: 3_000 })).resolves.toBe(
      true,
    );
  });

  it('starts nothing for a load of 0', () => {
    const load = new CpuLoad(0);
    load.start();
    expect(load.pids()).toEqual([]);
  });
});
