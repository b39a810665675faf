/**
 * A capture misses nothing that was sent before it stopped.                       Claims: none (trust)
 *
 * The teardown and reset specs read their verdicts off packet captures (tcpdump in the target), often stopping
 * the capture right after the call that sent the segment they look for. A capture that lost such a segment would
 * turn a kernel that behaves into a failing spec, or worse, a missing segment into a finding. So the kit
 * promises: stop() answers only once tcpdump has printed everything captured before it was called. Here, round
 * after round, a close() with SO_LINGER {on, 0} sends its RST and the capture is stopped at once.
 */
import { connectPair, startTarget, type Target } from '@sockspec/testkit';

const ROUNDS = 10;
const FIRST_PORT = 8200;

describe('a packet capture in a target', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it(`holds the RST that close() sent just before the capture was stopped, in each of ${ROUNDS} rounds`, async () => {
    const missed: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const port = FIRST_PORT + round;
      const pair = await connectPair(target, port);
      const capture = await target.capture(port);
      await pair.client.setOptions({ linger: { enabled: true, seconds: 0 } });
      await pair.client.close();
      const segments = await capture.stop();
      const reset = segments.some(
        (segment) => segment.flags.includes('RST') && segment.from.port === pair.clientPort,
      );
      if (!reset) missed.push(round);
      await pair.server.close();
      await pair.listener.close();
    }
    expect(missed).toEqual([]);
  });
});
