import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentClient } from './agent-client';
import { AgentUnreachable } from './agent-unreachable';
import { HarnessStall } from './harness-stall';

/** A server on 127.0.0.1 that destroys the first `drops` connections before answering, then answers 200 {}. */
async function flakyServer(
  drops: number,
): Promise<{ server: Server; url: string; hits: () => number }> {
  let seen = 0;
  const server = createServer((request, response) => {
    seen += 1;
    if (seen <= drops) {
      request.socket.destroy();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, hits: () => seen };
}

describe('AgentClient when no answer comes back', () => {
  let flaky: Awaited<ReturnType<typeof flakyServer>>;
  afterEach(async () => {
    await new Promise((resolve) => flaky.server.close(resolve));
  });

  it('tries a GET again, which changes nothing, and returns the answer', async () => {
    flaky = await flakyServer(1);
    const client = new AgentClient(flaky.url, 'token');
    await expect(client.get('/v1/info')).resolves.toEqual({ ok: true });
    expect(flaky.hits()).toBe(2);
  });

  it('does not repeat a POST, which may have taken effect, and says what became of the target', async () => {
    flaky = await flakyServer(1);
    const client = new AgentClient(
      flaky.url,
      'token',
      async () => 'its container abc exited with code 1',
    );
    const failure = await client.post('/v1/sockets').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AgentUnreachable);
    expect(failure).toMatchObject({ code: 'UND_ERR_SOCKET', request: 'POST /v1/sockets' });
    expect((failure as Error).message).toContain('exited with code 1');
    expect(flaky.hits()).toBe(1);
  });

  it('gives up on a GET after three attempts', async () => {
    flaky = await flakyServer(5);
    const client = new AgentClient(flaky.url, 'token');
    await expect(client.get('/v1/info')).rejects.toBeInstanceOf(AgentUnreachable);
    expect(flaky.hits()).toBe(3);
  });
});

describe('AgentClient with nobody listening', () => {
  it('names the refusal', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = new AgentClient(`http://127.0.0.1:${port}`, 'token');
    await expect(client.post('/v1/sockets')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('AgentClient when an answer never comes', () => {
  it('gives up at its ceiling with a HarnessStall that names the request', async () => {
    const server = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new AgentClient(`http://127.0.0.1:${port}`, 'token', undefined, 300);
    const started = Date.now();
    const failure = await client.get('/v1/info').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HarnessStall);
    expect((failure as Error).message).toContain('GET /v1/info');
    expect(Date.now() - started).toBeLessThan(3_000);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('waits the time a long poll asks for on top of its ceiling', async () => {
    const server = createServer((_request, response) => {
      setTimeout(() => response.writeHead(200).end('{}'), 500);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new AgentClient(`http://127.0.0.1:${port}`, 'token', undefined, 300);
    await expect(client.get('/v1/programs/1', { waitMs: 600 }, { expectMs: 600 })).resolves.toEqual(
      {},
    );
    await new Promise((resolve) => server.close(resolve));
  });
});
