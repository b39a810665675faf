import { createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { startAgent, type RunningAgent } from './agent';
import { defuseRequest } from './__fixtures__/defuse-request';
import {
  fuzzBody,
  fuzzRequest,
  fuzzTarget,
  requestBytes,
  type FuzzRequest,
} from './__fixtures__/fuzz-requests';
import { brokenHttpRequest } from './__fixtures__/http-faults';
import { exchangeRaw, type RawOutcome } from './__fixtures__/raw-http';

/**
 * The agent on 127.0.0.1 under thousands of random and malformed requests, sent byte for byte. Nothing a fuzzed
 * request asks for reaches beyond loopback: see defuse-request.ts for what is disarmed and how.
 */
const token = 'fuzz-token-0123456789abcdef';
const ANSWER_WITHIN_MS = 3_000;
const WELL_FRAMED_RUNS = 2_000;
const BROKEN_HTTP_RUNS = 500;
/**
 * A failure that waits out ANSWER_WITHIN_MS would take that long for every shrinking step: stop shrinking after
 * this long and report the smallest counterexample found so far. The runs themselves take 10 to 15 s on a quiet
 * machine and up to about 50 s beside the scenario suite in `npm test` (2 cores); an interruption before all runs
 * are done counts as a failure, so the limit leaves room for that load.
 */
const FUZZ_TIME_LIMIT = { interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true };
const TEST_TIMEOUT_MS = 180_000;

let agent: RunningAgent;
/** Where fuzzed connects go: a listener of this test's own, which reads and drops what it is sent. */
let sink: Server;
let sinkPort: number;
const sinkConnections = new Set<Socket>();

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${agent.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function json<T>(response: Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

/** A few sockets for fuzzed ids to hit: a listener with a connection waiting, both its ends, an IPv6 socket. */
async function createSocketsToHit(): Promise<void> {
  const listener = (await json<{ id: number }>(call('POST', '/v1/sockets', { family: 'ipv4' }))).id;
  const { local } = await json<{ local: { port: number } }>(
    call('POST', `/v1/sockets/${listener}/bind`, { address: '127.0.0.1', port: 0 }),
  );
  await call('POST', `/v1/sockets/${listener}/listen`, { backlog: 4 });
  const client = (await json<{ id: number }>(call('POST', '/v1/sockets', { family: 'ipv4' }))).id;
  await call('POST', `/v1/sockets/${client}/connect`, { address: '127.0.0.1', port: local.port });
  await call('POST', '/v1/tcp/wait', {
    filter: { state: ['ESTABLISHED'], remotePort: local.port },
    timeoutMs: 2_000,
  });
  await call('POST', `/v1/sockets/${listener}/accept`);
  await call('POST', '/v1/sockets', { family: 'ipv6' });
}

beforeAll(async () => {
  // Sampling is not under test here; every fuzzed connection leaves a TIME_WAIT entry it would parse each time.
  agent = await startAgent({ token, port: 0, host: '127.0.0.1', sampleIntervalMs: 1_000 });
  sink = createServer((socket) => {
    sinkConnections.add(socket);
    socket.on('close', () => sinkConnections.delete(socket));
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const address = sink.address();
  sinkPort = typeof address === 'object' && address !== null ? address.port : 0;
  await createSocketsToHit();
});

afterAll(async () => {
  await agent.stop();
  for (const socket of sinkConnections) socket.destroy();
  await new Promise<void>((resolve) => sink.close(() => resolve()));
});

/** The agent's answer: within the time limit, never 5xx, JSON, and an error with a code and a message. */
function expectJsonAnswer(
  outcome: RawOutcome,
  head = false,
): asserts outcome is Extract<RawOutcome, { kind: 'answer' }> {
  expect(outcome).toMatchObject({ kind: 'answer' });
  if (outcome.kind !== 'answer') return;
  if (outcome.status !== 200 && !(outcome.status >= 400 && outcome.status < 500)) {
    throw new Error(`answered ${outcome.status}, neither 200 nor 4xx: ${outcome.body}`);
  }
  if (head) return; // a HEAD answer has no body
  expect(outcome.headers['content-type']).toBe('application/json');
  const body = JSON.parse(outcome.body) as { error?: { code?: unknown; message?: unknown } };
  if (outcome.status >= 400) {
    expect(typeof body.error?.code).toBe('string');
    expect(body.error?.code).not.toBe('');
    expect(typeof body.error?.message).toBe('string');
    expect(body.error?.message).not.toBe('');
  }
}

/** An Expect header other than 100-continue, which the agent refuses (417) before it reads the body. */
function hasUnmetExpectation(request: FuzzRequest): boolean {
  // Node reads repeated Expect headers as one list, met when 100-continue is among them.
  const expectations = request.headers.filter(([name]) => name === 'expect').map(([, v]) => v);
  return expectations.length > 0 && !expectations.includes('100-continue');
}

/** Still there: a good request answers 200, and no fuzzed request started a program, capture or drop rule. */
async function expectStillServingAndNothingStarted(): Promise<void> {
  expect(agent.server.listening).toBe(true);
  const info = await call('GET', '/v1/info');
  expect(info.status).toBe(200);
  expect(await info.json()).toMatchObject({ pid: process.pid });
  expect((await call('GET', '/v1/programs/1')).status).toBe(404);
  expect((await call('GET', '/v1/captures/1')).status).toBe(404);
  expect(await json(call('GET', '/v1/firewall/drops'))).toEqual({ rules: [] });
}

describe('the agent under fuzzed requests', () => {
  it(
    'answers every well-framed request with 200 or a 4xx JSON error, and each bad one as it is bad',
    async () => {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(token), async (fuzzed) => {
          const request = { ...fuzzed, ...defuseRequest(fuzzed.target, fuzzed.body, sinkPort) };
          const outcome = await exchangeRaw(
            agent.port,
            requestBytes(request, token),
            ANSWER_WITHIN_MS,
          );
          expectJsonAnswer(outcome, request.method === 'HEAD');
          if (request.auth !== 'valid') expect(outcome.status).toBe(401);
          else if (hasUnmetExpectation(request)) expect(outcome.status).toBe(417);
          else if (request.bodyKind === 'malformed-json')
            expect([400, 404]).toContain(outcome.status);
          else if (request.bodyKind === 'oversized')
            expect([400, 404, 413]).toContain(outcome.status);
        }),
        { numRuns: WELL_FRAMED_RUNS, ...FUZZ_TIME_LIMIT },
      );
      await expectStillServingAndNothingStarted();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers every request broken at the HTTP level with a 4xx JSON error',
    async () => {
      const good = fc.tuple(fuzzTarget, fuzzBody()).map(([target, { body }]) => {
        const defused = defuseRequest(target, body, sinkPort);
        return { target: defused.target, body: defused.body.toString('latin1') };
      });
      await fc.assert(
        fc.asyncProperty(brokenHttpRequest(token, good), async (broken) => {
          const outcome = await exchangeRaw(agent.port, broken.bytes, ANSWER_WITHIN_MS);
          expectJsonAnswer(outcome);
        }),
        { numRuns: BROKEN_HTTP_RUNS, ...FUZZ_TIME_LIMIT },
      );
      await expectStillServingAndNothingStarted();
    },
    TEST_TIMEOUT_MS,
  );
});
