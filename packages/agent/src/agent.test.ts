import type { AcceptResult, ProgramState, RecvResult, WaitResult } from './protocol';
import { startAgent, type RunningAgent } from './agent';

/** The agent on the host, on 127.0.0.1 with a kernel-chosen port: real sockets, real procfs. */
const token = 'test-token-0123456789abcdef';
let agent: RunningAgent;
let base: string;

beforeAll(async () => {
  agent = await startAgent({ token, port: 0, host: '127.0.0.1', sampleIntervalMs: 10 });
  base = `http://127.0.0.1:${agent.port}`;
});
afterAll(async () => {
  await agent.stop();
});

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
): Promise<{ status: number; body: T }> {
  const response = await fetch(base + path, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** A listener the agent opened on 127.0.0.1 at a kernel-chosen port. */
async function loopbackListener(backlog: number): Promise<{ id: number; port: number }> {
  const id = (await call<{ id: number }>('POST', '/v1/sockets', { family: 'ipv4' })).body.id;
  const bound = await call<{ local: { port: number } }>('POST', `/v1/sockets/${id}/bind`, {
    address: '127.0.0.1',
    port: 0,
  });
  await call('POST', `/v1/sockets/${id}/listen`, { backlog });
  return { id, port: bound.body.local.port };
}

describe('the agent API', () => {
  it('answers 401 without the token and with a wrong one', async () => {
    expect((await call('GET', '/v1/info', undefined, {})).status).toBe(401);
    expect(
      (await call('GET', '/v1/info', undefined, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
  });

  it('answers 400 with a message for malformed JSON, and keeps serving', async () => {
    const bad = await call<{ error: { code: string; message: string } }>(
      'POST',
      '/v1/sockets',
      '{"family":',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad-request');
    const info = await call<{ kernel: string }>('GET', '/v1/info');
    expect(info.status).toBe(200);
    expect(info.body.kernel).toMatch(/^\d+\.\d+/);
  });

  it('answers 404 for unknown paths and sockets', async () => {
    expect((await call('GET', '/v1/nothing')).status).toBe(404);
    expect((await call('POST', '/v1/sockets/99999/close')).status).toBe(404);
  });

  it('runs a connection call by call: bind, listen, connect, accept, send, recv, close', async () => {
    const listener = (await call<{ id: number }>('POST', '/v1/sockets', { family: 'ipv4' })).body
      .id;
    const bound = await call<{ local: { port: number } }>('POST', `/v1/sockets/${listener}/bind`, {
      address: '127.0.0.1',
      port: 0,
    });
    const port = bound.body.local.port;
    await call('POST', `/v1/sockets/${listener}/listen`, { backlog: 2 });
    const empty = await call<AcceptResult>('POST', `/v1/sockets/${listener}/accept`);
    expect(empty.body.socket).toBeNull();

    const client = (await call<{ id: number }>('POST', '/v1/sockets', { family: 'ipv4' })).body.id;
    await call('POST', `/v1/sockets/${client}/connect`, { address: '127.0.0.1', port });
    const established = await call<WaitResult>('POST', '/v1/tcp/wait', {
      filter: { state: ['ESTABLISHED'], remotePort: port },
      timeoutMs: 2000,
    });
    expect(established.body.satisfied).toBe(true);

    const accepted = await call<AcceptResult>('POST', `/v1/sockets/${listener}/accept`);
    expect(accepted.body.remote?.port).toBe(established.body.entries[0]?.local.port);
    await call('POST', `/v1/sockets/${client}/send`, { text: 'hello' });
    let received: RecvResult | undefined;
    for (let i = 0; i < 50 && (received === undefined || received.wouldBlock); i += 1) {
      received = (await call<RecvResult>('POST', `/v1/sockets/${accepted.body.socket}/recv`, {}))
        .body;
    }
    expect(received?.text).toBe('hello');
    for (const id of [client, accepted.body.socket, listener]) {
      expect((await call('POST', `/v1/sockets/${id}/close`)).status).toBe(200);
    }
  });

  it('reports a failed socket call as 422 with the errno name and the call', async () => {
    const { id: first, port } = await loopbackListener(1);
    const second = (await call<{ id: number }>('POST', '/v1/sockets', { family: 'ipv4' })).body.id;
    const clash = await call<{ error: { code: string; syscall: string } }>(
      'POST',
      `/v1/sockets/${second}/bind`,
      {
        address: '127.0.0.1',
        port,
      },
    );
    expect(clash.status).toBe(422);
    expect(clash.body.error).toMatchObject({ code: 'EADDRINUSE', syscall: 'bind' });
    await call('POST', `/v1/sockets/${first}/close`);
    await call('POST', `/v1/sockets/${second}/close`);
  });

  it('starts sockspec-server as a process and relays its JSON events', async () => {
    const started = await call<{ id: number; pid: number }>('POST', '/v1/programs', {
      program: 'server',
      args: ['0', '127.0.0.1', '--no-accept'],
    });
    expect(started.status).toBe(200);
    const state = await call<ProgramState>(
      'GET',
      `/v1/programs/${started.body.id}?after=0&waitMs=5000`,
    );
    expect(state.body.events[0]).toMatchObject({ event: 'listening', address: '127.0.0.1' });
    await call('POST', `/v1/programs/${started.body.id}/signal`, { signal: 'SIGTERM' });
    let exit = state.body.exit;
    for (let i = 0; i < 50 && exit === null; i += 1) {
      exit = (await call<ProgramState>('GET', `/v1/programs/${started.body.id}?after=0&waitMs=200`))
        .body.exit;
    }
    expect(exit).toMatchObject({ code: 0 });
  });

  it("runs any command of the target's, each line it prints an event, with the target's activity", async () => {
    const started = await call<{ id: number }>('POST', '/v1/programs', {
      program: 'command',
      args: ['sh', '-c', 'echo \'{"event":"ready","time":1}\'; echo plain words'],
    });
    expect(started.status).toBe(200);
    let state: ProgramState | undefined;
    for (let i = 0; i < 50 && state?.exit == null; i += 1) {
      state = (
        await call<ProgramState>('GET', `/v1/programs/${started.body.id}?after=0&waitMs=200`)
      ).body;
    }
    expect(state?.events).toMatchObject([
      { event: 'ready', time: 1 },
      { event: 'output', text: 'plain words' },
    ]);
    expect(state?.exit).toMatchObject({ code: 0 });
    expect(state?.activity).toMatchObject({ targetMs: expect.any(Number), busy: false });
    expect(state?.activity.loadAverage).toHaveLength(3);
  });

  it('answers 422 with the errno for a command the target does not have', async () => {
    const missing = await call<{ error: { code: string; message: string } }>(
      'POST',
      '/v1/programs',
      {
        program: 'command',
        args: ['no-such-command-here'],
      },
    );
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('ENOENT');
    expect(missing.body.error.message).toContain('Hint:');
  });

  it('refuses an unknown program', async () => {
    expect((await call('POST', '/v1/programs', { program: 'sh', args: ['-c', 'id'] })).status).toBe(
      400,
    );
  });

  it('reads sysctls, and refuses names that are not sysctl names', async () => {
    const read = await call<{ values: Record<string, string> }>(
      'GET',
      '/v1/sysctls?names=net.ipv4.tcp_fin_timeout',
    );
    expect(read.body.values['net.ipv4.tcp_fin_timeout']).toMatch(/^\d+$/);
    expect((await call('GET', '/v1/sysctls?names=../../etc/passwd')).status).toBe(400);
  });

  it('reads the TcpExt counters', async () => {
    const counters = await call<{ tcpExt: Record<string, number> }>('GET', '/v1/counters');
    expect(typeof counters.body.tcpExt.ListenOverflows).toBe('number');
  });
});

describe('a close() that lingers (SO_LINGER on, 2 s, data the peer never reads)', () => {
  const LINGER_S = 2;
  /**
   * Filling the send buffer takes tens of 60 kB sends through the API (the kernel takes megabytes on loopback):
   * 0.3 s on a quiet machine, several seconds beside the scenario suite in npm test, past Jest's default 5 s.
   */
  const FILL_TIMEOUT_MS = 30_000;

  /** A client connected through the agent, its peer never reading, its send buffer full, SO_LINGER set. */
  async function lingeringClient(): Promise<number> {
    const { port } = await loopbackListener(1);
    const client = (await call<{ id: number }>('POST', '/v1/sockets', { family: 'ipv4' })).body.id;
    await call('POST', `/v1/sockets/${client}/connect`, { address: '127.0.0.1', port });
    await call('POST', '/v1/tcp/wait', {
      filter: { state: ['ESTABLISHED'], remotePort: port },
      timeoutMs: 2000,
    });
    const text = 'x'.repeat(60_000);
    for (;;) {
      const sent = await call<{ bytes: number | null }>('POST', `/v1/sockets/${client}/send`, {
        text,
      });
      if (sent.body.bytes === null) break;
    }
    await call('POST', `/v1/sockets/${client}/options`, {
      linger: { enabled: true, seconds: LINGER_S },
    });
    return client;
  }

  it(
    'answers the close when close() returns, and serves other requests meanwhile',
    async () => {
      const client = await lingeringClient();
      const started = Date.now();
      const closing = call<{ calledAt: number; returnedAt: number }>(
        'POST',
        `/v1/sockets/${client}/close`,
      ).then((answer) => ({
        status: answer.status,
        afterMs: Date.now() - started,
        blockedMs: answer.body.returnedAt - answer.body.calledAt,
      }));
      const info = await call('GET', '/v1/info');
      const infoAfterMs = Date.now() - started;
      const closed = await closing;
      expect(info.status).toBe(200);
      expect(closed.status).toBe(200);
      // The kernel waits out the linger time (counted in jiffies: a little slack for timer rounding) ...
      expect(closed.afterMs).toBeGreaterThanOrEqual(LINGER_S * 1000 - 50);
      // The agent's own stamps of the call say as much.
      expect(closed.blockedMs).toBeGreaterThanOrEqual(LINGER_S * 1000 - 50);
      expect(closed.blockedMs).toBeLessThanOrEqual(closed.afterMs);
      // ... while the agent answers another request in far less than half of it, on a loaded machine too.
      expect(infoAfterMs).toBeLessThan((LINGER_S * 1000) / 2);
    },
    FILL_TIMEOUT_MS,
  );

  it(
    'is refused by close-in-order (409), which closes nothing',
    async () => {
      const client = await lingeringClient();
      const other = (await call<{ id: number }>('POST', '/v1/sockets', { family: 'ipv4' })).body.id;
      const refused = await call<{ error: { code: string } }>(
        'POST',
        '/v1/sockets/close-in-order',
        {
          ids: [other, client],
        },
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('lingers');
      expect((await call('GET', `/v1/sockets/${other}/status`)).status).toBe(200);
      expect((await call('GET', `/v1/sockets/${client}/status`)).status).toBe(200);
      await call('POST', `/v1/sockets/${other}/close`);
      await call('POST', `/v1/sockets/${client}/options`, {
        linger: { enabled: true, seconds: 0 },
      });
      await call('POST', `/v1/sockets/${client}/close`);
    },
    FILL_TIMEOUT_MS,
  );
});
