/**
 * CLOSE_WAIT: the side that was told goodbye and never said it back.           Claims: C3, C8, C9, C10
 *
 * The article's server accepts a connection and never calls close(). When the client closes, the server's kernel
 * ACKs the FIN and parks the connection in CLOSE_WAIT (C3), and there it stays for as long as the process lives and
 * keeps the descriptor (C8). Only two things end it: the process calling close() (the article sleeps 120 s first),
 * which sends the server's own FIN and moves it through LAST_ACK to gone (C10), or the process exiting, whose
 * descriptors the kernel then closes for it (C9).
 *
 * Here the article's two programs play the parts: sockspec-server (accepts, never closes unless told) and
 * sockspec-client (connects, closes half a second later). The hold is 10 s rather than forever, and the late
 * close comes after 12 s rather than 120 s; the sampler in the target watches every state change meanwhile, and a
 * capture (NET_RAW) stamps the segments: the FINs that begin and end CLOSE_WAIT, and the ACKs that answer them.
 * LAST_ACK lasts only as long as the server's FIN goes unacknowledged, which on loopback is microseconds; to see
 * it, the target drops the client's final ACK for a while (nftables, hence the NET_ADMIN capability).
 */
import {
  capturedSegment,
  describe,
  describeFamilies,
  durationBetween,
  finSequence,
  it,
  momentAt,
  recordMeasurement,
  recordSetting,
  recordVerdict,
  startTarget,
  timingOf,
  type RemoteProgram,
  type Family,
  type Segment,
  type Target,
} from '@sockspec/testkit';

const BASE_PORT = 8080;
/** How long we watch CLOSE_WAIT hold before letting the process act. */
const HOLD_MS = 10_000;
/** The client closes this long after connecting. */
const CLIENT_CLOSE_AFTER_S = 0.5;
/** In the late-close story, the server closes each connection this long after accepting it. */
const SERVER_CLOSE_AFTER_S = 12;
/**
 * How far the two close() calls, as the programs stamp them, may sit from the two FINs they sent, as the capture
 * stamps them: each program stamps its event after its close() returns, in a Node event loop a loaded 2-core
 * machine can delay; 500 ms covers it.
 */
const TOLERANCE_MS = 500;

interface Conversation {
  readonly server: RemoteProgram;
  readonly client: RemoteProgram;
  readonly clientPort: number;
  /** When the client's close() returned, by its own event (the target's clock). */
  readonly clientClosedAt: number;
}

/** Starts the server, connects the client, and waits for the client's close to put the server in CLOSE_WAIT. */
async function clientClosesFirst(
  target: Target,
  family: Family,
  serverArgs: readonly string[],
): Promise<Conversation> {
  const PORT = family.port(BASE_PORT);
  const ADDRESS = family.loopback;
  const server = await target.startServer([String(PORT), ADDRESS, ...serverArgs]);
  const client = await target.startClient([
    ADDRESS,
    String(PORT),
    '--close-after',
    String(CLIENT_CLOSE_AFTER_S),
  ]);
  const connected = await client.waitForEvent('connected');
  const closed = await client.waitForEvent('closed');
  await server.waitForEvent('eof');
  return {
    server,
    client,
    clientPort: (connected.local as { port: number }).port,
    clientClosedAt: closed.time,
  };
}

/** The story's own settings, listed in the report apart from what the kernel did. */
function recordSettings(): void {
  recordSetting({ name: 'CLOSE_WAIT watched for', value: HOLD_MS, unit: 'ms' });
  recordSetting({ name: 'client closes after connecting', value: CLIENT_CLOSE_AFTER_S, unit: 's' });
  recordSetting({
    name: 'late server close after accepting',
    value: SERVER_CLOSE_AFTER_S,
    unit: 's',
  });
}

/** The FIN `from` sent to `to`, and the ACK of it `to` sent back, from a capture. */
function finAndItsAck(
  segments: readonly Segment[],
  from: number,
  to: number,
  whose: string,
): { readonly fin: Segment; readonly ack: Segment } {
  const fin = capturedSegment(segments, { from, to, flag: 'FIN' }, `the ${whose} FIN`);
  const ack = capturedSegment(
    segments,
    { from: to, to: from, flag: 'ACK', ack: finSequence(fin) + 1 },
    `the ACK of the ${whose} FIN`,
  );
  return { fin, ack };
}

describe('a server that never calls close() while it lives', () => {
  let target: Target;

  beforeAll(async () => {
    recordSettings();
    target = await startTarget({ capabilities: ['NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  describeFamilies('', (family) => {
    const PORT = family.port(BASE_PORT);
    let talk: Conversation;
    let capture: Awaited<ReturnType<Target['capture']>>;

    beforeAll(async () => {
      capture = await target.capture(PORT);
      talk = await clientClosesFirst(target, family, []);
    });

    it('ACKs the client FIN and moves its end to CLOSE_WAIT, while the client end waits in FIN_WAIT2 (C3)', async () => {
      await target.waitForState({
        state: 'CLOSE_WAIT',
        localPort: PORT,
        remotePort: talk.clientPort,
      });
      // The client's end reaches FIN_WAIT2 only once the server's ACK of its FIN arrived: the capture holds both.
      await target.waitForState({
        state: 'FIN_WAIT2',
        localPort: talk.clientPort,
        remotePort: PORT,
      });
      const { fin, ack } = finAndItsAck(await capture.stop(), talk.clientPort, PORT, "client's");
      expect(ack.time).toBeGreaterThanOrEqual(fin.time);
      expect(ack.flags).not.toContain('FIN');
    });

    it(`stays in CLOSE_WAIT for the whole ${HOLD_MS / 1000} s hold, with no kernel timer that could end it (C8)`, async () => {
      const { next } = await target.changes();
      const left = await target.tryWait(
        { localPort: PORT, remotePort: talk.clientPort, state: 'CLOSE_WAIT' },
        { absent: true, timeoutMs: HOLD_MS },
      );
      expect(left.satisfied).toBe(false);
      const { changes } = await target.changes(next);
      expect(
        changes.filter(
          (change) => change.local.port === PORT && change.remote.port === talk.clientPort,
        ),
      ).toEqual([]);
      const [entry] = await target.sockets({ localPort: PORT, remotePort: talk.clientPort });
      expect(entry).toMatchObject({ state: 'CLOSE_WAIT', timer: { kind: 'none' } });
      recordMeasurement({
        claims: ['C8'],
        name: "timer on the CLOSE_WAIT entry, in procfs's timer column",
        value: entry?.timer.kind ?? 'missing',
        from: 'kernel',
      });
      recordVerdict({
        claim: 'C8',
        verdict: 'holds',
        finding: 'CLOSE_WAIT stayed for the whole hold with no timer on it.',
      });
    });

    it('loses the CLOSE_WAIT socket when the process exits: the kernel closes it for the process (C9)', async () => {
      const exit = await target.capture(PORT);
      await talk.server.signal('SIGKILL');
      await target.waitForAbsence({ localPort: PORT }, { timeoutMs: 2_000 });
      // The exit closed the descriptor, so the server's FIN went out and the client's end, having sent its own FIN
      // first, finishes as the active closer.
      await target.waitForState({
        state: 'TIME_WAIT',
        localPort: talk.clientPort,
        remotePort: PORT,
      });
      const segments = await exit.stop();
      finAndItsAck(segments, PORT, talk.clientPort, "server's");
      expect(segments.filter((segment) => segment.flags.includes('RST'))).toEqual([]);
      recordMeasurement({
        claims: ['C9'],
        name: "what the kernel sent when it closed the killed process's socket",
        value: 'FIN, ACKed by the client',
        from: 'capture',
      });
      recordVerdict({
        claim: 'C9',
        verdict: 'holds',
        finding: 'The exit closed the socket: FIN sent, entry gone.',
      });
    });
  });
});

describe(`a server that calls close() ${SERVER_CLOSE_AFTER_S} s after accepting`, () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ capabilities: ['NET_ADMIN', 'NET_RAW'] });
  });
  afterAll(async () => {
    await target?.stop();
  });

  // One family after the other: each story's drop rule must be in before its server's close() comes.
  describeFamilies('', (family) => {
    const PORT = family.port(BASE_PORT);
    let talk: Conversation;
    let capture: Awaited<ReturnType<Target['capture']>>;

    beforeAll(async () => {
      capture = await target.capture(PORT);
      talk = await clientClosesFirst(target, family, [
        '--close-after',
        String(SERVER_CLOSE_AFTER_S),
      ]);
      await target.waitForState({ state: 'CLOSE_WAIT', localPort: PORT });
    });

    it('passes through LAST_ACK when close() sends its FIN, and stays there while the final ACK is lost (C3, C10)', async () => {
      const rule = await target.dropSegments({
        sourcePort: talk.clientPort,
        destinationPort: PORT,
        segments: 'ack-only',
      });
      const lastAck = await target.waitForState(
        { state: 'LAST_ACK', localPort: PORT, remotePort: talk.clientPort },
        { timeoutMs: SERVER_CLOSE_AFTER_S * 1000 + 5_000 },
      );
      expect(lastAck.entries).toHaveLength(1);
      // CLOSE_WAIT by the capture's stamps: from the client's FIN reaching the server to the FIN the server's close()
      // sent. Against the two close() calls as the programs saw them: the server closes 12 s after accepting and the
      // client 0.5 s after connecting, so about 11.5 s; a client that closes late on a loaded target shortens it, a
      // server that closes late lengthens it, which is why the length is held to the two close() calls, not to 11.5 s.
      const serverClosed = await talk.server.waitForEvent('closed');
      const segments = await capture.stop();
      const clientFin = capturedSegment(
        segments,
        { from: talk.clientPort, to: PORT, flag: 'FIN' },
        "the client's FIN",
      );
      const serverFin = capturedSegment(
        segments,
        { from: PORT, to: talk.clientPort, flag: 'FIN' },
        "the FIN of the server's close()",
      );
      const closeWait = durationBetween(momentAt(clientFin.time), momentAt(serverFin.time), [
        'capture',
        'capture',
      ]);
      const betweenCloses = serverClosed.time - talk.clientClosedAt;
      expect(Math.abs(betweenCloses - closeWait.valueMs)).toBeLessThanOrEqual(TOLERANCE_MS);
      // The story ran as told: the server's close() came its --close-after delay after its accept(). (Node counts
      // a timer from its event loop's cached clock, a few ms behind the accepted event's time stamp: 10 ms slack.)
      const accepted = await talk.server.waitForEvent('accepted');
      expect(serverClosed.time - accepted.time).toBeGreaterThanOrEqual(
        SERVER_CLOSE_AFTER_S * 1000 - 10,
      );
      // The client's end got the server's FIN and ACKed it: the active closer moves on to TIME_WAIT.
      await target.waitForState({
        state: 'TIME_WAIT',
        localPort: talk.clientPort,
        remotePort: PORT,
      });
      const held = await target.tryWait(
        { state: 'LAST_ACK', localPort: PORT, remotePort: talk.clientPort },
        { absent: true, timeoutMs: 1_000 },
      );
      expect(held.satisfied).toBe(false);
      const [dropping] = await target.dropRules();
      expect(dropping?.dropped).toBeGreaterThanOrEqual(1);
      await target.removeDropRule(rule.handle);
      recordMeasurement({
        claims: ['C10'],
        name: "CLOSE_WAIT until the late close(): from the client's FIN to the server's",
        value: Math.round(closeWait.valueMs),
        unit: 'ms',
        from: 'capture',
        timing: timingOf(closeWait),
      });
    });

    it('is gone once the final ACK gets through (C3, C10)', async () => {
      // The server retransmits its FIN (C14's subject); the TIME_WAIT end answers it with the ACK that now arrives.
      // The next retransmission comes when the socket's own timer says, which backs off with each one lost.
      const [lastAck] = await target.sockets({ localPort: PORT, remotePort: talk.clientPort });
      await target.waitForAbsence(
        { localPort: PORT, remotePort: talk.clientPort },
        { timeoutMs: (lastAck?.timer.remainingMs ?? 0) + 5_000 },
      );
      const closed = await talk.server.waitForEvent('closed');
      expect(closed.conn).toBe(1);
      recordVerdict({
        claim: 'C3',
        verdict: 'holds',
        finding: 'CLOSE_WAIT, then LAST_ACK on close(), then gone.',
      });
      recordVerdict({
        claim: 'C10',
        verdict: 'holds',
        finding: 'A late close() ended CLOSE_WAIT through LAST_ACK.',
      });
    });
  });
});
