// This project's own server (server.js), run in a real Linux kernel beside the sockspec agent: clients that close
// first must find the server closing too, so that nothing is left in CLOSE_WAIT. `npm run test:leaky` runs the
// same spec against `server.js --leak`, which never closes, and fails naming CLOSE_WAIT and the count.
import { startTarget, type RemoteProgram, type Target } from '@sockspec/testkit';

const PORT = 8080;
const CLIENTS = 10;
const leak = process.env.OWN_SERVER_LEAK === '1' ? ['--leak'] : [];

describe(`node server.js --port ${PORT} ${leak.join(' ')}`, () => {
  let target: Target;
  let server: RemoteProgram;

  beforeAll(async () => {
    target = await startTarget();
    // The project's files go into the target; the command runs there, in their folder.
    server = await target.run(['node', 'server.js', '--port', String(PORT), ...leak], {
      files: '.',
    });
    await server.waitForEvent('listening');
  });

  afterAll(async () => {
    await target?.stop();
  });

  it('answers a line from each client, and each client closes first', async () => {
    const clients = await target.startClient([
      '127.0.0.1',
      String(PORT),
      '--count',
      String(CLIENTS),
      '--send',
      'hello\n',
      '--close-after',
      '0.5',
    ]);
    await clients.waitForExit();
    const answers = clients.events.filter((event) => event.event === 'received');
    expect(answers.map((event) => event.text)).toEqual(Array(CLIENTS).fill('ok hello\n'));
    expect(clients.events.filter((event) => event.event === 'closed')).toHaveLength(CLIENTS);
  });

  it('leaves no connection in CLOSE_WAIT: the server closed each one after its client did', async () => {
    // The server's close follows the client's FIN within milliseconds; give it a second before looking.
    await target.tryWait(
      { state: 'CLOSE_WAIT', localPort: PORT },
      { absent: true, timeoutMs: 1_000 },
    );
    await expect(target).toHaveNoSocket({ state: 'CLOSE_WAIT', localPort: PORT });
  });

  it('leaves TIME_WAIT with the clients, the side that closed first', async () => {
    await expect(target).toHaveSocket({ state: 'TIME_WAIT', remotePort: PORT }, { count: CLIENTS });
    await expect(target).toHaveNoSocket({ state: 'TIME_WAIT', localPort: PORT });
  });
});
