import { readTcpSocketsSync, uniqueEntries } from './read-tcp-sockets';
import type { TcpSocketEntry } from './tcp-socket-entry';

describe('uniqueEntries', () => {
  it('drops a socket the kernel listed twice, and keeps two listeners that share a port', () => {
    const listener = readTcpSocketsSync().find((e) => e.state === 'LISTEN');
    if (listener === undefined) throw new Error('this host has no listener');
    const sibling = { ...listener, inode: listener.inode + 1 };
    expect(uniqueEntries([listener, listener, sibling])).toEqual([listener, sibling]);
  });

  it('tells sockets without an inode apart by their endpoints, and one inode listed in two states', () => {
    const timeWait: TcpSocketEntry = {
      family: 'ipv4',
      state: 'TIME_WAIT',
      local: { address: '127.0.0.1', port: 41202 },
      remote: { address: '127.0.0.1', port: 8080 },
      txQueue: 0,
      rxQueue: 0,
      timer: { kind: 'time-wait', remainingMs: 60_000 },
      retransmits: 0,
      uid: 0,
      timeouts: 0,
      inode: 0,
    };
    const otherTimeWait = { ...timeWait, local: { address: '127.0.0.1', port: 41203 } };
    const established = { ...timeWait, state: 'ESTABLISHED' as const, inode: 777 };
    const closeWait = { ...established, state: 'CLOSE_WAIT' as const };
    expect(
      uniqueEntries([
        timeWait,
        otherTimeWait,
        { ...timeWait },
        established,
        closeWait,
        { ...established },
        { ...closeWait },
      ]),
    ).toEqual([timeWait, otherTimeWait, established, closeWait]);
  });
});
