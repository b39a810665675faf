import fc from 'fast-check';
import {
  TCP4_HEADER,
  TCP6_HEADER,
  formatKernelTcpLine,
  type KernelTcpSocket,
} from './__fixtures__/kernel-tcp-line';
import { parseProcNetTcp, parseProcNetTcpLine } from './parse-proc-net-tcp';
import type { TcpSocketEntry } from './tcp-socket-entry';
import { TCP_STATES } from './tcp-state';

/**
 * Properties of the /proc/net/tcp parser: it reads back every line the kernel can print to the values printed,
 * never throws whatever it is given, and refuses a broken line with a reason that names what is broken.
 */

const family = fc.constantFrom<'ipv4' | 'ipv6'>('ipv4', 'ipv6');

/** The kernel's timer codes (the `tr` column), by what they time. */
const TIMER_NAMES = ['none', 'retransmit', 'keepalive', 'time-wait', 'zero-window-probe'] as const;

const bytes = (values: readonly number[]): Uint8Array => Uint8Array.from(values);

const ipv4Address = fc.oneof(
  fc.constantFrom(bytes([127, 0, 0, 1]), bytes([0, 0, 0, 0]), bytes([10, 0, 0, 10])),
  fc.uint8Array({ minLength: 4, maxLength: 4 }),
);

/** Eight 16-bit groups to 16 bytes. */
const fromGroups = (groups: readonly number[]): Uint8Array =>
  bytes(groups.flatMap((group) => [group >> 8, group & 0xff]));

const ipv6Address = fc.oneof(
  fc.constantFrom(fromGroups([0, 0, 0, 0, 0, 0, 0, 1]), fromGroups([0, 0, 0, 0, 0, 0, 0, 0])),
  // v4-mapped: ::ffff:a.b.c.d
  fc
    .uint8Array({ minLength: 4, maxLength: 4 })
    .map((v4) => bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4])),
  // zero groups in runs of every length, where `::` goes
  fc
    .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
      minLength: 8,
      maxLength: 8,
    })
    .map(fromGroups),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
);

const port = fc.integer({ min: 0, max: 65535 });

/** A socket as the kernel could hold it: every state, every timer, counters over their whole ranges. */
const kernelSocket = (of: 'ipv4' | 'ipv6'): fc.Arbitrary<KernelTcpSocket> => {
  const address = of === 'ipv4' ? ipv4Address : ipv6Address;
  return fc
    .record({
      stateCode: fc.integer({ min: 1, max: TCP_STATES.length }),
      localAddress: address,
      localPort: port,
      remoteAddress: address,
      remotePort: port,
      txQueue: fc.integer({ min: 0, max: 0x7fffffff }),
      rxQueue: fc.integer({ min: 0, max: 0x7fffffff }),
      timerCode: fc.integer({ min: 0, max: TIMER_NAMES.length - 1 }),
      timerTicks: fc.integer({ min: 0, max: 0xffffffff }),
      retransmits: fc.integer({ min: 0, max: 255 }),
      uid: fc.integer({ min: 0, max: 0xffffffff }),
      timeouts: fc.integer({ min: 0, max: 255 }),
      inode: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.maxSafeNat()),
    })
    .map((socket) => ({
      ...socket,
      family: of,
      // With no timer running, the kernel prints no time left.
      timerTicks: socket.timerCode === 0 ? 0 : socket.timerTicks,
    }));
};

const anyKernelSocket = family.chain(kernelSocket);

/**
 * An address as ss and the inspector write it, worked out apart from the inspector: dotted quad; v4-mapped as
 * ::ffff:a.b.c.d; any other IPv6 address by the URL standard's serializer (RFC 5952: lowercase, the first longest
 * run of two or more zero groups as `::`).
 */
function addressText(address: Uint8Array): string {
  if (address.length === 4) return address.join('.');
  const groups = Array.from(
    { length: 8 },
    (_, i) => ((address[2 * i] ?? 0) << 8) | (address[2 * i + 1] ?? 0),
  );
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `::ffff:${address.subarray(12).join('.')}`;
  }
  return new URL(`http://[${groups.map((group) => group.toString(16)).join(':')}]`).hostname.slice(
    1,
    -1,
  );
}

/** The entry the parser should give for the socket. */
function entryOf(socket: KernelTcpSocket): TcpSocketEntry {
  const timer = TIMER_NAMES[socket.timerCode] ?? 'none';
  return {
    family: socket.family,
    state: TCP_STATES[socket.stateCode - 1] as TcpSocketEntry['state'],
    local: { address: addressText(socket.localAddress), port: socket.localPort },
    remote: { address: addressText(socket.remoteAddress), port: socket.remotePort },
    txQueue: socket.txQueue,
    rxQueue: socket.rxQueue,
    timer: { kind: timer, remainingMs: timer === 'none' ? 0 : socket.timerTicks * 10 },
    retransmits: socket.retransmits,
    uid: socket.uid,
    timeouts: socket.timeouts,
    inode: socket.inode,
  };
}

/** Either an entry, or an error with something in it: never an exception, never an empty reason. */
function expectEntryOrReason(parsed: TcpSocketEntry | { error: string }): void {
  if ('error' in parsed) {
    expect(typeof parsed.error).toBe('string');
    expect(parsed.error.trim()).not.toBe('');
  } else {
    expect(TCP_STATES).toContain(parsed.state);
  }
}

describe('parseProcNetTcpLine on lines the kernel prints', () => {
  it('reads each back to the values printed: every state, IPv4, IPv6 and v4-mapped, any ports, queues, timers, uid and inode', () => {
    fc.assert(
      fc.property(fc.nat(9999), anyKernelSocket, (slot, socket) => {
        const line = formatKernelTcpLine(slot, socket);
        expect(parseProcNetTcpLine(line, socket.family)).toEqual(entryOf(socket));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every TCP state the kernel names, in both files', () => {
    fc.assert(
      fc.property(anyKernelSocket, (socket) => {
        for (let stateCode = 1; stateCode <= TCP_STATES.length; stateCode += 1) {
          const line = formatKernelTcpLine(0, { ...socket, stateCode });
          expect(parseProcNetTcpLine(line, socket.family)).toMatchObject({
            state: TCP_STATES[stateCode - 1],
          });
        }
      }),
      { numRuns: 50 },
    );
  });
});

/** Ways to break one field of a kernel line, each keeping it one field (no white space) and naming what must be quoted. */
const HEX_BREAKERS = ['G', 'x', '-', '.', 'é', '\u0130'];

/** `text` with one character replaced by, or added to, one that does not belong. */
const brokenText = (text: string, breakers: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.nat(text.length), fc.constantFrom(...breakers), fc.boolean())
    .map(
      ([at, breaker, replace]) =>
        text.slice(0, at) + breaker + text.slice(replace ? Math.min(at + 1, text.length) : at),
    );

/** The ten fields the parser reads, broken one at a time: the index, the broken field, and what the reason must quote. */
function brokenField(fields: readonly string[]): fc.Arbitrary<[number, string, string]> {
  const at = (index: number): string => fields[index] ?? '';
  const sameText =
    (index: number) =>
    (text: string): [number, string, string] => [index, text, text];
  return fc.oneof(
    fc.constantFrom('12', '1x:', ':', '-1:', '1::').map(sameText(0)),
    fc
      .integer({ min: 1, max: 2 })
      .chain((index) =>
        fc
          .oneof(
            brokenText(at(index), HEX_BREAKERS),
            fc.constant(at(index).replace(':', '')),
            fc.constant(`${at(index)}0`),
            fc.constant(at(index).slice(1)),
          )
          .map(sameText(index)),
      ),
    fc
      .oneof(
        fc.constantFrom('00', '0D', 'FF', '1', '001', 'G1', '-1'),
        fc
          .integer({ min: 13, max: 255 })
          .map((code) => code.toString(16).toUpperCase().padStart(2, '0')),
      )
      .map(sameText(3)),
    fc.integer({ min: 4, max: 5 }).chain((index) =>
      fc
        .oneof(
          brokenText(at(index), HEX_BREAKERS),
          fc.constant(at(index).replace(':', '')),
          fc.constant(`${at(index)}:`),
        )
        .filter((text) => text !== at(index))
        .map(sameText(index)),
    ),
    // a timer code the kernel does not have: the reason quotes the code
    fc
      .integer({ min: 5, max: 255 })
      .map((code) => code.toString(16).toUpperCase().padStart(2, '0'))
      .map((code): [number, string, string] => [5, `${code}:${at(5).split(':')[1] ?? ''}`, code]),
    brokenText(at(6), HEX_BREAKERS).map(sameText(6)),
    fc
      .integer({ min: 7, max: 9 })
      .chain((index) =>
        fc
          .oneof(
            brokenText(at(index), ['A', 'f', '-', '+', '.', 'e', 'é']),
            fc.constantFrom('-1', '0x1', '1e3', '1.5'),
          )
          .map(sameText(index)),
      ),
  );
}

describe('parseProcNetTcpLine on lines that are not what the kernel prints', () => {
  it('never throws on any text, and answers an entry or a reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF: \t') }),
        ),
        family,
        (line, of) => expectEntryOrReason(parseProcNetTcpLine(line, of)),
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws on lines of random fields, kernel-like and not', () => {
    const field = fc.oneof(
      fc.constantFrom(
        '0:',
        '0100007F:1F90',
        '00000000000000000000000001000000:1F90',
        '0A',
        '00000000:00000000',
      ),
      fc.constantFrom(
        '00:00000000',
        '03:00001770',
        '00000000',
        '0',
        '1000',
        '40121',
        '-1',
        '0000000000000000',
      ),
      fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFabcdef:xG-.'), maxLength: 40 }),
      fc
        .string({ unit: 'binary', minLength: 1, maxLength: 8 })
        .map((text) => text.replace(/\s/g, '')),
    );
    const separator = fc.constantFrom(' ', '   ', '\t', '\r', '\u00a0', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(separator, field), { maxLength: 24 }), family, (pairs, of) =>
        expectEntryOrReason(
          parseProcNetTcpLine(pairs.map(([gap, text]) => gap + text).join(''), of),
        ),
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses a kernel line with one field broken, with a reason that quotes that field', () => {
    const brokenLine = anyKernelSocket.chain((socket) => {
      const line = formatKernelTcpLine(0, socket);
      const fields = line.trim().split(/ +/);
      return brokenField(fields).map(([index, text, quoted]) => {
        const broken = [...fields];
        broken[index] = text;
        return { family: socket.family, line: broken.join(' '), quoted };
      });
    });
    fc.assert(
      fc.property(brokenLine, ({ family: of, line, quoted }) => {
        const parsed = parseProcNetTcpLine(line, of);
        expect(parsed).toEqual({ error: expect.stringContaining(`'${quoted}'`) });
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a line of fewer than ten fields, saying how many it found', () => {
    fc.assert(
      fc.property(anyKernelSocket, fc.integer({ min: 1, max: 9 }), (socket, kept) => {
        const fields = formatKernelTcpLine(0, socket).trim().split(/ +/).slice(0, kept);
        expect(parseProcNetTcpLine(fields.join(' '), socket.family)).toEqual({
          error: expect.stringMatching(new RegExp(`\\b${kept}\\b`)),
        });
      }),
    );
  });
});

describe('parseProcNetTcp on a whole file', () => {
  it('reads the header, every kernel line in order, and reports each broken line by its number', () => {
    const fileLines = family.chain((of) =>
      fc.tuple(
        fc.constant(of),
        fc.array(
          fc.oneof(
            { weight: 4, arbitrary: kernelSocket(of).map((socket) => ({ socket })) },
            {
              weight: 1,
              arbitrary: fc
                .constantFrom('garbage', '   1: 0100007G:1F40', 'sl local_address')
                .map((broken) => ({ broken })),
            },
          ),
          { maxLength: 30 },
        ),
      ),
    );
    fc.assert(
      fc.property(fileLines, ([of, lines]) => {
        const text = [
          of === 'ipv4' ? TCP4_HEADER : TCP6_HEADER,
          ...lines.map((line, slot) =>
            'socket' in line ? formatKernelTcpLine(slot, line.socket) : line.broken,
          ),
          '',
        ].join('\n');
        const result = parseProcNetTcp(text, of);
        const sockets = lines.flatMap((line) => ('socket' in line ? [line.socket] : []));
        expect(result.entries).toEqual(sockets.map(entryOf));
        // line 1 is the header; line i + 2 is lines[i]
        const brokenAt = lines.flatMap((line, i) => ('broken' in line ? [i + 2] : []));
        expect(result.errors.map((error) => error.lineNumber)).toEqual(brokenAt);
        for (const error of result.errors) expect(error.reason).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on any text, and accounts for every line that is not blank or the header', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary' }),
            anyKernelSocket.map((socket) => formatKernelTcpLine(0, socket)),
          ),
          {
            maxLength: 20,
          },
        ),
        family,
        (lines, of) => {
          const text = lines.join('\n');
          const result = parseProcNetTcp(text, of);
          const counted = text
            .split('\n')
            .filter(
              (line, i) => line.trim() !== '' && !(i === 0 && line.trimStart().startsWith('sl')),
            ).length;
          expect(result.entries.length + result.errors.length).toBe(counted);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
