import { readFileSync } from 'node:fs';
import { startAgent, type RunningAgent } from './agent';
import { exchangeRaw, type RawOutcome } from './__fixtures__/raw-http';

/**
 * Requests the fuzzer (agent-fuzz.test.ts) found the agent answering with a 5xx, with a body that is not JSON, or
 * not at all; each is refused now with a 4xx and a JSON error. Sent byte for byte, as the fuzzer sent them.
 */
const token = 'bad-requests-token-0123456789';
const AUTHORIZATION = `authorization: Bearer ${token}`;
let agent: RunningAgent;

beforeAll(async () => {
  agent = await startAgent({ token, port: 0, host: '127.0.0.1', sampleIntervalMs: 1_000 });
});
afterAll(async () => {
  await agent.stop();
});

const STABLE_SECRET_NAME = 'net.ipv6.conf.all.stable_secret';
const STABLE_SECRET = '/proc/sys/net/ipv6/conf/all/stable_secret';

/** The errno reading a file here fails with, if it does. */
function readError(path: string): string | undefined {
  try {
    readFileSync(path);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

function send(head: readonly string[], body = ''): Promise<RawOutcome> {
  const bytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`, 'latin1');
  return exchangeRaw(agent.port, bytes, 3_000);
}

function get(target: string, ...headers: string[]): Promise<RawOutcome> {
  return send([`GET ${target} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...headers]);
}

/** The answer's status and its JSON error code; fails on anything but an answer with a JSON error. */
function refusal(outcome: RawOutcome): { status: number; code: string } {
  if (outcome.kind !== 'answer') throw new Error(`no answer: ${JSON.stringify(outcome)}`);
  expect(outcome.headers['content-type']).toBe('application/json');
  const { error } = JSON.parse(outcome.body) as { error: { code: string; message: string } };
  expect(error.message).not.toBe('');
  return { status: outcome.status, code: error.code };
}

describe('the agent refuses, as JSON, what Node would have refused in its own words', () => {
  it('refuses an Expect other than 100-continue with 417', async () => {
    expect(refusal(await get('/v1/info', AUTHORIZATION, 'expect: nonsense'))).toEqual({
      status: 417,
      code: 'expectation-failed',
    });
  });

  it('still asks for the token before it looks at an expectation', async () => {
    expect(refusal(await get('/v1/info', 'expect: nonsense')).status).toBe(401);
  });

  it('answers bytes that are not HTTP with 400', async () => {
    const outcome = await exchangeRaw(agent.port, Buffer.from([0, 13, 10, 13, 10]), 3_000);
    expect(refusal(outcome)).toEqual({ status: 400, code: 'bad-request' });
  });

  it('answers a request with two different content-lengths with 400', async () => {
    const head = ['POST /v1/sockets HTTP/1.1', 'host: a', AUTHORIZATION, 'content-length: 2'];
    expect(refusal(await send([...head, 'content-length: 3'], '{}')).status).toBe(400);
  });

  it('answers a head over the parser limit with 431', async () => {
    expect(refusal(await get('/v1/info', AUTHORIZATION, `x-huge: ${'h'.repeat(20_000)}`))).toEqual({
      status: 431,
      code: 'too-large',
    });
  });

  it('answers an HTTP/1.1 request without Host with 400', async () => {
    const outcome = await send(['GET /v1/info HTTP/1.1', 'connection: close', AUTHORIZATION]);
    expect(refusal(outcome)).toEqual({ status: 400, code: 'bad-request' });
  });

  it('answers CONNECT with 404 and the token, 401 without it, instead of closing the connection', async () => {
    const connect = ['CONNECT 127.0.0.1:22 HTTP/1.1', 'host: 127.0.0.1:22'];
    expect(refusal(await send([...connect, AUTHORIZATION])).status).toBe(404);
    expect(refusal(await send(connect)).status).toBe(401);
  });
});

describe('the agent refuses bad requests with 4xx, never 5xx', () => {
  it('answers a request target no URL can be made of with 400', async () => {
    for (const target of ['//[', 'http://[']) {
      expect(refusal(await get(target, AUTHORIZATION))).toEqual({
        status: 400,
        code: 'bad-request',
      });
    }
  });

  it('refuses a group of sysctls (a directory) with 400', async () => {
    expect(refusal(await get('/v1/sysctls?names=net.ipv4', AUTHORIZATION)).status).toBe(400);
  });

  it('answers a write-only sysctl with 422 and the errno', async () => {
    const outcome = await get('/v1/sysctls?names=net.ipv4.route.flush', AUTHORIZATION);
    expect(refusal(outcome)).toEqual({ status: 422, code: 'EACCES' });
  });

  // Reading stable_secret fails with EIO while it is unset; where it is set or absent, there is nothing to refuse.
  (readError(STABLE_SECRET) === 'EIO' ? it : it.skip)(
    'answers a sysctl the kernel will not read out (EIO) with 422 and the errno',
    async () => {
      const outcome = await get(`/v1/sysctls?names=${STABLE_SECRET_NAME}`, AUTHORIZATION);
      expect(refusal(outcome)).toEqual({ status: 422, code: 'EIO' });
    },
  );

  it('reads a name below a sysctl as a sysctl this kernel does not have', async () => {
    const outcome = await get(
      '/v1/sysctls?names=net.ipv4.tcp_fin_timeout.extra,net.ipv4.tcp_fin_timeout',
      AUTHORIZATION,
    );
    expect(outcome).toMatchObject({ kind: 'answer', status: 200 });
    const { values } = JSON.parse(outcome.kind === 'answer' ? outcome.body : '{}') as {
      values: Record<string, string>;
    };
    expect(Object.keys(values)).toEqual(['net.ipv4.tcp_fin_timeout']);
  });
});
