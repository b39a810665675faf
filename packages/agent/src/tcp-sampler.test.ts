import { TcpSampler } from './tcp-sampler';

/** The sampler on the host's own /proc: what stop() does to requests still waiting on it. */
describe('TcpSampler.stop()', () => {
  it('answers a pending long poll at once instead of at the end of its wait', async () => {
    const sampler = new TcpSampler({ intervalMs: 1_000 });
    const started = Date.now();
    const polling = sampler.changesSince(Number.MAX_SAFE_INTEGER, 60_000);
    sampler.stop();
    const result = await polling;
    expect(Date.now() - started).toBeLessThan(1_000); // not its 60 s
    expect(result.changes).toEqual([]);
  });

  it('ends a pending wait unsatisfied', async () => {
    const sampler = new TcpSampler({ intervalMs: 1_000 });
    const waiting = sampler.wait({
      filter: { state: ['CLOSING'], localPort: 1 },
      timeoutMs: 60_000,
    });
    sampler.stop();
    expect(await waiting).toMatchObject({ satisfied: false });
  });
});
