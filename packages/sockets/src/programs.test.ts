import { pollUntil } from '@sockspec/test-support';
import { runClient } from './client';
import type { ProgramEvent, ProgramHandle } from './program-events';
import { runServer } from './server';

/** The two programs' loops, in-process, on loopback with real sockets. */
function recorder(): { events: ProgramEvent[]; emit: (event: ProgramEvent) => void } {
  const events: ProgramEvent[] = [];
  return { events, emit: (event) => events.push(event) };
}

/** The programs' events arrive on their own loops: wait up to 3 s for the one a test expects. */
function eventually(check: () => boolean): Promise<boolean> {
  return pollUntil(check, { timeoutMs: 3_000, intervalMs: 10 });
}

const running: ProgramHandle[] = [];
afterEach(async () => {
  for (const handle of running.splice(0)) handle.stop();
});

function startServer(
  argv: Partial<Parameters<typeof runServer>[0]>,
  emit: (event: ProgramEvent) => void,
): number {
  const handle = runServer(
    {
      port: 0,
      address: '127.0.0.1',
      backlog: 2,
      accept: true,
      reuseAddr: false,
      reusePort: false,
      ...argv,
    },
    emit,
  );
  running.push(handle);
  return 0;
}

function listeningPort(events: readonly ProgramEvent[]): number {
  const listening = events.find((event) => event.event === 'listening');
  if (listening === undefined) throw new Error(`no listening event in ${JSON.stringify(events)}`);
  return listening.port as number;
}

describe('sockspec-server and sockspec-client', () => {
  it('with backlog 2 and no accept(), completes exactly 3 of 5 handshakes', async () => {
    const server = recorder();
    startServer({ backlog: 2, accept: false }, server.emit);
    const client = recorder();
    running.push(
      runClient(
        {
          address: '127.0.0.1',
          port: listeningPort(server.events),
          count: 5,
          closeOnEof: false,
          reuseAddr: false,
        },
        client.emit,
      ),
    );
    await eventually(
      () => client.events.filter((event) => event.event === 'connected').length >= 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.events.filter((event) => event.event === 'connected')).toHaveLength(3);
    expect(server.events.filter((event) => event.event === 'accepted')).toHaveLength(0);
  });

  it("reports the client's close as eof on the server, which does not close in return", async () => {
    const server = recorder();
    startServer({}, server.emit);
    const client = recorder();
    running.push(
      runClient(
        {
          address: '127.0.0.1',
          port: listeningPort(server.events),
          count: 1,
          closeAfterSeconds: 0.1,
          closeOnEof: false,
          reuseAddr: false,
        },
        client.emit,
      ),
    );
    await eventually(() => server.events.some((event) => event.event === 'eof'));
    expect(server.events.map((event) => event.event)).toEqual(['listening', 'accepted', 'eof']);
    expect(client.events.map((event) => event.event)).toEqual([
      'connecting',
      'connected',
      'closed',
      'exiting',
    ]);
  });

  it('closes each accepted connection after --close-after, and the client reads eof', async () => {
    const server = recorder();
    startServer({ closeAfterSeconds: 0.2 }, server.emit);
    const client = recorder();
    running.push(
      runClient(
        {
          address: '127.0.0.1',
          port: listeningPort(server.events),
          count: 2,
          send: 'hi',
          closeOnEof: false,
          reuseAddr: false,
        },
        client.emit,
      ),
    );
    await eventually(() => client.events.filter((event) => event.event === 'eof').length === 2);
    expect(server.events.filter((event) => event.event === 'closed')).toHaveLength(2);
    expect(
      server.events.filter((event) => event.event === 'received').map((event) => event.text),
    ).toEqual(['hi', 'hi']);
  });

  it('with --close-on-eof, closes each connection once the server closed first, and exits', async () => {
    const server = recorder();
    startServer({ closeAfterSeconds: 0.1 }, server.emit);
    const client = recorder();
    const handle = runClient(
      {
        address: '127.0.0.1',
        port: listeningPort(server.events),
        count: 3,
        closeOnEof: true,
        reuseAddr: false,
      },
      client.emit,
    );
    running.push(handle);
    expect(await handle.done).toBe(0);
    const order = client.events.filter((event) => ['eof', 'closed'].includes(event.event));
    expect(order.map((event) => event.event)).toEqual([
      'eof',
      'closed',
      'eof',
      'closed',
      'eof',
      'closed',
    ]);
  });

  it('prints an error event naming EADDRINUSE and ends with code 1 when the port is taken', async () => {
    const first = recorder();
    startServer({}, first.emit);
    const second = recorder();
    const handle = runServer(
      {
        port: listeningPort(first.events),
        address: '127.0.0.1',
        backlog: 2,
        accept: true,
        reuseAddr: true,
        reusePort: false,
      },
      second.emit,
    );
    expect(await handle.done).toBe(1);
    expect(second.events).toEqual([
      expect.objectContaining({ event: 'error', syscall: 'bind', code: 'EADDRINUSE' }),
    ]);
  });
});
