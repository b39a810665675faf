import { TCP_STATES } from './tcp-state';
import { parseProcNetTcp, parseProcNetTcpLine } from './parse-proc-net-tcp';
import type { TcpSocketEntry } from './tcp-socket-entry';

// Lines as the kernel prints them (recorded on x86_64, little-endian).
const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const LISTEN_WITH_QUEUE =
  '   0: 0100007F:1F40 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 40121 1 0000000000000000 100 0 0 10 0';
const TIME_WAIT =
  '   1: 0100007F:A0F2 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000';
const SYN_SENT_RETRYING =
  '   2: 0100007F:B3C6 0100007F:1F40 02 00000000:00000001 01:0000006C 00000002  1000        0 40177 1 0000000000000000 400 0 0 1 7';
const ESTABLISHED_KEEPALIVE =
  '   3: 0A00000A:0016 0200000A:D431 01 00000024:00000000 02:000A7F00 00000000     0        0 31337 4 0000000000000000 20 4 31 10 -1';
const ZERO_WINDOW =
  '   4: 0100007F:1F90 0100007F:9C40 01 00010000:00000000 04:00000032 00000000     0        0 555 1 0000000000000000 20 4 0 10 -1';
const IPV6_LOOPBACK_LISTEN =
  '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 23456 1 0000000000000000 100 0 0 10 0';
const IPV6_V4_MAPPED =
  '   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:C350 08 00000000:00000001 00:00000000 00000000     0        0 23999 1 0000000000000000 20 4 30 10 -1';
const IPV6_GLOBAL =
  '   2: B80D0120000000000000000001000000:01BB B80D0120000000000000000002000000:D431 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 20 4 30 10 -1';

function entry(line: string, family: 'ipv4' | 'ipv6' = 'ipv4'): TcpSocketEntry {
  const parsed = parseProcNetTcpLine(line, family);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

describe('parseProcNetTcpLine on IPv4', () => {
  it('reads a listener: the accept-queue length is its rx_queue', () => {
    expect(entry(LISTEN_WITH_QUEUE)).toEqual({
      family: 'ipv4',
      state: 'LISTEN',
      local: { address: '127.0.0.1', port: 8000 },
      remote: { address: '0.0.0.0', port: 0 },
      txQueue: 0,
      rxQueue: 3,
      timer: { kind: 'none', remainingMs: 0 },
      retransmits: 0,
      uid: 0,
      timeouts: 0,
      inode: 40121,
    });
  });

  it('reads TIME_WAIT with its timer in ms (USER_HZ ticks of 10 ms) and inode 0', () => {
    expect(entry(TIME_WAIT)).toMatchObject({
      state: 'TIME_WAIT',
      local: { address: '127.0.0.1', port: 41202 },
      remote: { address: '127.0.0.1', port: 8080 },
      timer: { kind: 'time-wait', remainingMs: 60_000 },
      inode: 0,
    });
  });

  it('reads a retransmit timer, the retransmit count and the uid', () => {
    expect(entry(SYN_SENT_RETRYING)).toMatchObject({
      state: 'SYN_SENT',
      timer: { kind: 'retransmit', remainingMs: 1080 },
      retransmits: 2,
      uid: 1000,
      txQueue: 0,
      rxQueue: 1,
    });
  });

  it('reads keepalive and zero-window-probe timers, and the send queue', () => {
    expect(entry(ESTABLISHED_KEEPALIVE)).toMatchObject({
      local: { address: '10.0.0.10', port: 22 },
      remote: { address: '10.0.0.2', port: 54321 },
      txQueue: 36,
      timer: { kind: 'keepalive', remainingMs: 6_878_720 },
    });
    expect(entry(ZERO_WINDOW).timer).toEqual({ kind: 'zero-window-probe', remainingMs: 500 });
  });

  it('names every state code 01 to 0C', () => {
    TCP_STATES.forEach((state, index) => {
      const code = (index + 1).toString(16).toUpperCase().padStart(2, '0');
      expect(entry(LISTEN_WITH_QUEUE.replace(' 0A ', ` ${code} `)).state).toBe(state);
    });
  });
});

describe('parseProcNetTcpLine on IPv6', () => {
  it('reads ::1, each 32-bit word in host order', () => {
    expect(entry(IPV6_LOOPBACK_LISTEN, 'ipv6')).toMatchObject({
      family: 'ipv6',
      state: 'LISTEN',
      local: { address: '::1', port: 8080 },
      remote: { address: '::', port: 0 },
    });
  });

  it('reads v4-mapped addresses as ::ffff:a.b.c.d', () => {
    expect(entry(IPV6_V4_MAPPED, 'ipv6')).toMatchObject({
      state: 'CLOSE_WAIT',
      local: { address: '::ffff:127.0.0.1', port: 8080 },
      remote: { address: '::ffff:127.0.0.1', port: 50000 },
      rxQueue: 1,
    });
  });

  it('compresses a global address like ss does', () => {
    expect(entry(IPV6_GLOBAL, 'ipv6')).toMatchObject({
      state: 'ESTABLISHED',
      local: { address: '2001:db8::1', port: 443 },
      remote: { address: '2001:db8::2', port: 54321 },
    });
  });
});

describe('parseProcNetTcp', () => {
  it('skips the header and blank lines and keeps the order', () => {
    const text = [HEADER, LISTEN_WITH_QUEUE, TIME_WAIT, ''].join('\n');
    const result = parseProcNetTcp(text, 'ipv4');
    expect(result.errors).toEqual([]);
    expect(result.entries.map((e) => e.state)).toEqual(['LISTEN', 'TIME_WAIT']);
  });

  it('reports a malformed line with its number and reason instead of throwing', () => {
    const text = [
      HEADER,
      'garbage',
      LISTEN_WITH_QUEUE.replace(' 0A ', ' 0F '),
      LISTEN_WITH_QUEUE.replace('0100007F:1F40', '0100007G:1F40'),
      TIME_WAIT,
    ].join('\n');
    const result = parseProcNetTcp(text, 'ipv4');
    expect(result.entries).toHaveLength(1);
    expect(result.errors.map((error) => error.lineNumber)).toEqual([2, 3, 4]);
    expect(result.errors[1]?.reason).toMatch(/state/);
  });

  it('refuses an IPv6-width address in an IPv4 file, naming it', () => {
    const parsed = parseProcNetTcpLine(IPV6_LOOPBACK_LISTEN, 'ipv4');
    expect(parsed).toEqual({
      error: expect.stringContaining('00000000000000000000000001000000:1F90'),
    });
  });
});
