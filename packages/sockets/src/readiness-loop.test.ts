import { pollUntil } from '@sockspec/test-support';
import { ReadinessLoop } from './readiness-loop';
import { Socket } from './socket';

/** A listener on a free loopback port, for the loop to watch. */
function listener(): { socket: Socket; port: number } {
  const socket = Socket.create('ipv4');
  socket.bind({ address: '127.0.0.1', port: 0 });
  socket.listen(8);
  return { socket, port: socket.localAddress().port };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

describe('ReadinessLoop', () => {
  it('calls back with the key of a socket once it is ready, and not before', async () => {
    const { socket, port } = listener();
    const ready: string[] = [];
    const loop = new ReadinessLoop(
      () => [{ fd: socket.fd, want: 'read' as const, key: 'listener' }],
      (keys) => {
        ready.push(...keys);
        socket.accept()?.close();
      },
    );
    cleanup.push(
      () => socket.close(),
      () => loop.stop(),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ready).toEqual([]);
    const client = Socket.create('ipv4');
    cleanup.push(() => client.close());
    client.connect({ address: '127.0.0.1', port });
    expect(await pollUntil(() => ready.length > 0, { timeoutMs: 3_000, intervalMs: 5 })).toBe(true);
    expect(ready[0]).toBe('listener');
  });

  it('sleeps while nothing is ready: one wait, not a wake-up every few ms', async () => {
    const { socket } = listener();
    const loop = new ReadinessLoop(
      () => [{ fd: socket.fd, want: 'read' as const, key: 1 }],
      () => undefined,
    );
    cleanup.push(
      () => socket.close(),
      () => loop.stop(),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(loop.waits).toBe(1);
  });

  it('with wakeEveryMs, wakes on its own with nothing ready', async () => {
    let wakes = 0;
    const loop = new ReadinessLoop(
      () => [],
      () => (wakes += 1),
      { wakeEveryMs: 5 },
    );
    cleanup.push(() => loop.stop());
    expect(await pollUntil(() => wakes >= 10, { timeoutMs: 3_000, intervalMs: 5 })).toBe(true);
    expect(loop.waits).toBeGreaterThan(10);
  });

  it('watches the new set after wake(): a socket added meanwhile is seen', async () => {
    const { socket, port } = listener();
    const watched: { fd: number; want: 'read'; key: string }[] = [];
    const ready: string[] = [];
    const loop = new ReadinessLoop(
      () => watched,
      (keys) => {
        ready.push(...keys);
        if (keys.length > 0) socket.accept()?.close();
      },
    );
    cleanup.push(
      () => socket.close(),
      () => loop.stop(),
    );
    watched.push({ fd: socket.fd, want: 'read', key: 'added' });
    loop.wake();
    const client = Socket.create('ipv4');
    cleanup.push(() => client.close());
    client.connect({ address: '127.0.0.1', port });
    expect(
      await pollUntil(() => ready.includes('added'), { timeoutMs: 3_000, intervalMs: 5 }),
    ).toBe(true);
  });
});
