import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The sampler on a procfs of our own making: what its answers say about each read of the table. */
describe('TcpSampler readings', () => {
  const HEADER =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
  // 127.0.0.1:40000 -> 127.0.0.1:8090: ESTABLISHED with no timer, then TIME_WAIT with 60 s left (6000 ticks).
  const ESTABLISHED =
    '   0: 0100007F:9C40 0100007F:1F9A 01 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 20 4 30 10 -1';
  const TIME_WAIT =
    '   0: 0100007F:9C40 0100007F:1F9A 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000';
  let procRoot: string;
  let sampler: TcpSampler | undefined;

  const table = (line: string): void =>
    writeFileSync(join(procRoot, 'net', 'tcp'), `${HEADER}\n${line}\n`);

  beforeEach(() => {
    procRoot = mkdtempSync(join(tmpdir(), 'sampler-'));
    mkdirSync(join(procRoot, 'net'));
    table(ESTABLISHED);
  });
  afterEach(() => {
    sampler?.stop();
    rmSync(procRoot, { recursive: true, force: true });
  });

  it("logs a change with its sample's read start and the socket's timer at that sample", async () => {
    sampler = new TcpSampler({ intervalMs: 5, mode: 'always', procRoot });
    sampler.start();
    table(TIME_WAIT);
    const into = await sampler.wait({ filter: { state: ['TIME_WAIT'] }, timeoutMs: 5_000 });
    // The wait may be answered by a fresh reading of its own; the change is logged by the next sample.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { changes } = await sampler.changesSince(0, 0);
    const change = changes.find((candidate) => candidate.to === 'TIME_WAIT');
    expect(change?.timer).toEqual({ kind: 'time-wait', remainingMs: 60_000 });
    expect(change?.start).toBeLessThanOrEqual(change?.time ?? NaN);
    expect(into).toMatchObject({ satisfied: true });
    expect(into.start).toBeLessThanOrEqual(into.time);
  });

  it('on demand, samples only while a wait is open, and brings its log up to date when it is read', async () => {
    sampler = new TcpSampler({ intervalMs: 5, procRoot });
    sampler.start();
    // A request has just acted: the adaptive policy would sample every interval for a while after it.
    sampler.settle();
    table(TIME_WAIT);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Paused: nothing reads the timeline, so no sample logged the change; reading the log takes one.
    const logged = (await sampler.changesSince(0, 0)).changes;
    const seen = logged.find((change) => change.to === 'TIME_WAIT');
    expect(seen?.time).toBeGreaterThanOrEqual((seen?.previousTime ?? Infinity) + 90);
    // A wait open: the sampler looks, and answers it at the first sample that shows what it waits for.
    const waiting = sampler.wait({
      filter: { state: ['TIME_WAIT'] },
      absent: true,
      timeoutMs: 5_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const removed = Date.now();
    table(ESTABLISHED);
    const gone = await waiting;
    expect(gone).toMatchObject({ satisfied: true });
    expect(gone.time - removed).toBeLessThan(500);
  });

  it('gives a fresh reading its read start too', () => {
    sampler = new TcpSampler({ intervalMs: 5, procRoot });
    const reading = sampler.snapshot();
    expect(reading.start).toBeLessThanOrEqual(reading.time);
    expect(reading.entries).toHaveLength(1);
  });
});
