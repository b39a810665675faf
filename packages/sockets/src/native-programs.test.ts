import { createConnection } from 'node:net';
import { nativeProgramsForTests } from './__fixtures__/native-build';
import { eventually, named, programRuns } from './__fixtures__/program-runs';
import {
  NODE_PROGRAMS,
  spawnProgram,
  type ProgramImplementation,
} from './__fixtures__/running-program';

/**
 * The two programs in both implementations, from the same command lines, on loopback with real sockets: the Node
 * loops (the reference, in-process) and the C programs of native/ (built here with gcc, run as processes), which
 * targets run where a Node start costs seconds. Each must print the same events and end with the same code.
 */
const native = nativeProgramsForTests();
const NATIVE_PROGRAMS: ProgramImplementation = {
  name: 'native',
  server: (argv) => spawnProgram(native().server, argv),
  client: (argv) => spawnProgram(native().client, argv),
};

describe.each([NODE_PROGRAMS, NATIVE_PROGRAMS])('the $name programs', (programs) => {
  const { start, server } = programRuns(programs);

  it('with backlog 2 and no accept(), completes exactly 3 of 5 handshakes', async () => {
    const { program, port } = await server(['--no-accept']);
    const client = start('client', ['127.0.0.1', String(port), '--count', '5']);
    await eventually(() => named(client.events, 'connected').length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(named(client.events, 'connected')).toHaveLength(3);
    expect(named(program.events, 'accepted')).toHaveLength(0);
  });

  it("reports the client's close as eof on the server, which does not close in return", async () => {
    const { program, port } = await server();
    const client = start('client', ['127.0.0.1', String(port), '--close-after', '0.1']);
    expect(await client.done).toBe(0);
    await eventually(() => named(program.events, 'eof').length > 0);
    expect(program.events.map((event) => event.event)).toEqual(['listening', 'accepted', 'eof']);
    expect(client.events.map((event) => event.event)).toEqual([
      'connecting',
      'connected',
      'closed',
      'exiting',
    ]);
    const [accepted] = named(program.events, 'accepted');
    const [connected] = named(client.events, 'connected');
    expect(accepted).toMatchObject({ conn: 1, local: { address: '127.0.0.1', port } });
    expect(connected).toMatchObject({
      conn: 1,
      local: accepted?.remote,
      remote: { address: '127.0.0.1', port },
    });
    expect(Math.abs((connected?.time ?? 0) - Date.now())).toBeLessThan(5_000);
  });

  it('closes each accepted connection after --close-after, and the client reads eof', async () => {
    const { program, port } = await server(['--close-after', '0.2']);
    const client = start('client', ['127.0.0.1', String(port), '--count', '2', '--send', 'hi']);
    await eventually(() => named(client.events, 'eof').length === 2);
    expect(named(program.events, 'closed')).toHaveLength(2);
    expect(named(program.events, 'received').map((event) => event.text)).toEqual(['hi', 'hi']);
    expect(named(client.events, 'sent')).toEqual([
      expect.objectContaining({ conn: 1, bytes: 2 }),
      expect.objectContaining({ conn: 2, bytes: 2 }),
    ]);
  });

  it('with --close-on-eof, closes each connection once the server closed first, and exits 0', async () => {
    const { port } = await server(['--close-after', '0.1']);
    const client = start('client', ['127.0.0.1', String(port), '--count', '3', '--close-on-eof']);
    expect(await client.done).toBe(0);
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

  it('sends, shuts down its writing side, and the server reads the text, then eof', async () => {
    const { program, port } = await server();
    const text = 'héllo "q"\n\t\u0001';
    start('client', ['127.0.0.1', String(port), '--send', text, '--shutdown', 'write']);
    await eventually(() => named(program.events, 'eof').length > 0);
    expect(named(program.events, 'received')).toEqual([
      expect.objectContaining({ conn: 1, bytes: Buffer.byteLength(text), text }),
    ]);
  });

  it('decodes bytes that are not UTF-8 as Buffer.toString does', async () => {
    const { program, port } = await server();
    const bytes = Buffer.from([
      0x68, 0xff, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80,
    ]);
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.end(bytes);
    await eventually(() => named(program.events, 'eof').length > 0);
    socket.destroy();
    expect(
      named(program.events, 'received')
        .map((event) => event.text)
        .join(''),
    ).toBe(bytes.toString('utf8'));
  });

  it('on SIGTERM closes every connection, then prints exiting with the signal, and exits 0', async () => {
    const { program, port } = await server();
    start('client', ['127.0.0.1', String(port), '--count', '2']);
    await eventually(() => named(program.events, 'accepted').length === 2);
    program.signal('SIGTERM');
    expect(await program.done).toBe(0);
    expect(program.events.slice(-3)).toEqual([
      expect.objectContaining({ event: 'closed', conn: 1 }),
      expect.objectContaining({ event: 'closed', conn: 2 }),
      expect.objectContaining({ event: 'exiting', signal: 'SIGTERM' }),
    ]);
  });

  it('listens and connects on IPv6 loopback', async () => {
    const { port } = await server([], '::1');
    const client = start('client', ['::1', String(port), '--close-after', '0']);
    expect(await client.done).toBe(0);
    expect(named(client.events, 'connecting')).toEqual([
      expect.objectContaining({ remote: { address: '::1', port } }),
    ]);
    expect(named(client.events, 'connected')).toEqual([
      expect.objectContaining({
        remote: { address: '::1', port },
        local: expect.objectContaining({ address: '::1' }),
      }),
    ]);
  });

  it('reports a reset by the server (SO_LINGER 0) as ECONNRESET, and the client exits 1', async () => {
    const { port } = await server(['--close-after', '0.3', '--linger', '0']);
    const client = start('client', ['127.0.0.1', String(port)]);
    expect(await client.done).toBe(1);
    expect(named(client.events, 'error')).toEqual([
      expect.objectContaining({ conn: 1, syscall: 'recv', code: 'ECONNRESET' }),
    ]);
  });

  it('names ECONNREFUSED when nothing listens, with its message and hint, and exits 1', async () => {
    const client = start('client', ['127.0.0.1', '1']);
    expect(await client.done).toBe(1);
    expect(client.events.map((event) => event.event)).toEqual(['connecting', 'error', 'exiting']);
    expect(named(client.events, 'error')).toEqual([
      expect.objectContaining({
        conn: 1,
        syscall: 'connect',
        code: 'ECONNREFUSED',
        message: expect.stringMatching(
          /^connect failed: ECONNREFUSED \(Connection refused\)\. Hint: nothing listens/,
        ),
        hint: expect.stringContaining('nothing listens'),
      }),
    ]);
  });

  it('prints an error event naming EADDRINUSE and ends with code 1 when the port is taken', async () => {
    const { port } = await server();
    const second = start('server', [String(port), '127.0.0.1', '--reuseaddr']);
    expect(await second.done).toBe(1);
    expect(second.events).toEqual([
      expect.objectContaining({
        event: 'error',
        syscall: 'bind',
        code: 'EADDRINUSE',
        message: expect.stringMatching(
          new RegExp(
            `^bind\\(127\\.0\\.0\\.1:${port}\\) failed: EADDRINUSE \\(Address already in use\\)\\. Hint: `,
          ),
        ),
      }),
    ]);
  });
});
