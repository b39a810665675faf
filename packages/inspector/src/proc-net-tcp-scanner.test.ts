import fc from 'fast-check';
import {
  parseProcNetTcp,
  parseProcNetTcpByFields,
  parseProcNetTcpFields,
  parseProcNetTcpLine,
} from './parse-proc-net-tcp';
import { newAddressCache, scanProcNetTcpLine, type AddressCache } from './proc-net-tcp-scanner';
import type { TcpSocketEntry } from './tcp-socket-entry';

/**
 * The scanner is only a fast path: for any line, the parser with it must answer exactly what the general,
 * field-by-field reading answers without it. Checked on lines built field by field, the kernel's own and mutated.
 */

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const IPV4_LINES = [
  '   0: 0100007F:1F40 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 40121 1 0000000000000000 100 0 0 10 0',
  '   1: 0100007F:A0F2 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000',
  '   2: 0100007F:B3C6 0100007F:1F40 02 00000000:00000001 01:0000006C 00000002  1000        0 40177 1 0000000000000000 400 0 0 1 7',
  '   3: 0A00000A:0016 0200000A:D431 01 00000024:00000000 02:000A7F00 00000000     0        0 31337 4 0000000000000000 20 4 31 10 -1',
  // as the kernel pads it, to 149 characters and a newline
  '   1: 0100007F:B6BF 0100007F:AA0E 01 00000000:00000000 00:00000000 00000000     0        0 198048 1 00000000cc7e2cfc 20 0 0 10 -1                    ',
];
const IPV6_LINES = [
  '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 23456 1 0000000000000000 100 0 0 10 0',
  '   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:C350 08 00000000:00000001 00:00000000 00000000     0        0 23999 1 0000000000000000 20 4 30 10 -1',
  '   2: B80D0120000000000000000001000000:01BB B80D0120000000000000000002000000:D431 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 20 4 30 10 -1',
];

const scan = (
  line: string,
  family: 'ipv4' | 'ipv6',
  addresses: AddressCache,
): TcpSocketEntry | undefined =>
  scanProcNetTcpLine(Buffer.from(line, 'latin1'), 0, line.length, family, addresses);

const family = fc.constantFrom<'ipv4' | 'ipv6'>('ipv4', 'ipv6');
const hexChars = [...'0123456789ABCDEFabcdef'];
// \u0130 would read as '0' if the scanner were given it as latin1 bytes
const oddChars = ['G', 'x', '-', ':', '.', ' ', '\u00e9', '\u0130'];
/** Mostly all hex digits (with the lengths where numbers stop being exact), now and then with something else. */
const hexText = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.string({ unit: fc.constantFrom(...hexChars), minLength: min, maxLength: max }),
    },
    fc.string({
      unit: fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom(...hexChars) },
        fc.constantFrom(...oddChars),
      ),
      minLength: min,
      maxLength: max,
    }),
  );
const decimalText = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.string({
        unit: fc.constantFrom(...'0123456789'),
        minLength: min,
        maxLength: max,
      }),
    },
    fc.string({
      unit: fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom(...'0123456789') },
        fc.constantFrom('A', 'f', '-', '+', '.', 'e'),
      ),
      minLength: min,
      maxLength: max,
    }),
  );
/** Between fields: mostly spaces, sometimes a tab, a carriage return, other Unicode white space or nothing. */
const separator = fc.oneof(
  { weight: 60, arbitrary: fc.constantFrom(' ', '  ', '     ') },
  fc.constantFrom('\t', '\r', '\u00a0', '\v', '\f', '\u2028', '', ' \t '),
);
const colon = fc.oneof({ weight: 15, arbitrary: fc.constant(':') }, fc.constantFrom(';', '.', ''));
const endpointText = (width: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.oneof({ weight: 8, arbitrary: hexText(width, width) }, hexText(width - 1, width + 1)),
      colon,
      fc.oneof({ weight: 8, arbitrary: hexText(4, 4) }, hexText(3, 5)),
    )
    .map(([address, colon, port]) => `${address}${colon}${port}`);

/** A line field by field; each field mostly well formed. */
const builtLine = (width: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.tuple(separator, decimalText(1, 4), colon),
      endpointText(width),
      endpointText(width),
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom(
            ...Array.from({ length: 14 }, (_, code) => code.toString(16).padStart(2, '0')),
          ),
        },
        hexText(1, 3),
      ),
      fc.tuple(hexText(1, 16), colon, hexText(1, 16)),
      fc.tuple(
        fc.constantFrom('00', '01', '02', '03', '04', '05', '0A', '1', '0000000000002'),
        colon,
        hexText(1, 16),
      ),
      hexText(1, 16),
      fc.array(decimalText(1, 18), { minLength: 3, maxLength: 3 }),
      fc.array(fc.oneof(hexText(1, 16), fc.constantFrom('-1', '0', '100')), { maxLength: 6 }),
      fc.array(separator, { minLength: 16, maxLength: 16 }),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('', ' ', '   ') },
        fc.constantFrom('\r', '\u00a0', '\t'),
      ),
    )
    .map(
      ([
        [lead, slot, slotColon],
        local,
        remote,
        state,
        queues,
        timer,
        retransmits,
        numbers,
        rest,
        seps,
        tail,
      ]) => {
        const fields = [
          `${slot}${slotColon}`,
          local,
          remote,
          state,
          queues.join(''),
          timer.join(''),
          retransmits,
          ...numbers,
          ...rest,
        ];
        return (
          lead +
          fields.map((field, i) => (i === 0 ? field : `${seps[i] ?? ' '}${field}`)).join('') +
          tail
        );
      },
    );

/** A line as the kernel could print it: every field well formed, numbers of any length (exact in a double or not). */
const wellFormedLine = (width: number): fc.Arbitrary<string> => {
  // Every length equally likely: fast-check would otherwise favour short numbers, the easy cases.
  const digits = (units: readonly string[], min: number, max: number): fc.Arbitrary<string> =>
    fc
      .integer({ min, max })
      .chain((length) =>
        fc.string({ unit: fc.constantFrom(...units), minLength: length, maxLength: length }),
      );
  const hex = (min: number, max: number): fc.Arbitrary<string> => digits(hexChars, min, max);
  const decimal = digits([...'0123456789'], 1, 18);
  const gap = fc.constantFrom(' ', '   ', '\t');
  return fc
    .tuple(
      fc.nat(9999),
      fc.array(hex(width, width), { minLength: 2, maxLength: 2 }),
      fc.array(hex(4, 4), { minLength: 2, maxLength: 2 }),
      fc.integer({ min: 1, max: 12 }),
      fc.array(hex(1, 16), { minLength: 4, maxLength: 4 }),
      fc.integer({ min: 0, max: 4 }),
      fc.array(decimal, { minLength: 3, maxLength: 3 }),
      fc.array(gap, { minLength: 10, maxLength: 10 }),
    )
    .map(([slot, addresses, ports, state, [tx, rx, when, retransmits], timer, numbers, gaps]) =>
      [
        `${slot}:`,
        `${addresses[0]}:${ports[0]}`,
        `${addresses[1]}:${ports[1]}`,
        state.toString(16).padStart(2, '0'),
        `${tx}:${rx}`,
        `0${timer}:${when}`,
        retransmits,
        ...numbers,
        '1 0000000000000000 20 4 30 10 -1',
      ]
        .map((field, i) => `${gaps[i] ?? ' '}${field}`)
        .join(''),
    );
};

/** A real line with a few characters replaced, deleted or inserted, or cut short. */
const mutatedLine = (lines: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...lines),
      fc.array(
        fc.tuple(
          fc.nat(200),
          fc.constantFrom('replace', 'delete', 'insert'),
          fc.constantFrom(...hexChars, ...oddChars, '\t', '\n', '\r', '\u00a0'),
        ),
        { maxLength: 3 },
      ),
      fc.option(fc.nat(200)),
    )
    .map(([line, edits, cut]) => {
      let text = line;
      for (const [at, kind, char] of edits) {
        const i = at % (text.length + 1);
        if (kind === 'replace') text = text.slice(0, i) + char + text.slice(i + 1);
        else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
        else text = text.slice(0, i) + char + text.slice(i);
      }
      return cut === null ? text : text.slice(0, cut);
    });

const anyLine = (family: 'ipv4' | 'ipv6'): fc.Arbitrary<string> =>
  fc.oneof(
    wellFormedLine(family === 'ipv4' ? 8 : 32),
    builtLine(family === 'ipv4' ? 8 : 32),
    mutatedLine(family === 'ipv4' ? IPV4_LINES : IPV6_LINES),
    fc.constantFrom(...IPV4_LINES, ...IPV6_LINES, HEADER, '', '   ', '\r'),
  );

describe('scanProcNetTcpLine', () => {
  it('reads every line the kernel prints, without the general parser', () => {
    for (const line of IPV4_LINES)
      expect(scan(line, 'ipv4', newAddressCache())).toEqual(parseProcNetTcpFields(line, 'ipv4'));
    for (const line of IPV6_LINES)
      expect(scan(line, 'ipv6', newAddressCache())).toEqual(parseProcNetTcpFields(line, 'ipv6'));
  });

  it('declines the header and blank lines', () => {
    for (const line of [HEADER, '', '   '])
      expect(scan(line, 'ipv4', newAddressCache())).toBeUndefined();
  });

  it('reads only the line it is given within a larger text', () => {
    const text = `${IPV4_LINES[0]}\n${IPV4_LINES[1]}`;
    const first = IPV4_LINES[0] as string;
    expect(
      scanProcNetTcpLine(Buffer.from(text, 'latin1'), 0, first.length, 'ipv4', newAddressCache()),
    ).toEqual(parseProcNetTcpFields(first, 'ipv4'));
  });
});

describe('the parser with the scanner answers as the general parser alone', () => {
  it('for any one line, well formed or not', () => {
    fc.assert(
      fc.property(
        family.chain((f) => fc.tuple(fc.constant(f), anyLine(f))),
        ([f, line]) => {
          expect(parseProcNetTcpLine(line, f)).toEqual(parseProcNetTcpFields(line, f));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('for any whole text: the same entries, errors and line numbers', () => {
    fc.assert(
      fc.property(
        family.chain((f) =>
          fc.tuple(
            fc.constant(f),
            fc.array(anyLine(f), { maxLength: 12 }),
            fc.constantFrom('\n', '\n', '\r\n'),
            fc.boolean(),
            fc.boolean(),
          ),
        ),
        ([f, lines, newline, header, trailing]) => {
          const text = (header ? [HEADER, ...lines] : lines).join(newline) + (trailing ? '\n' : '');
          expect(parseProcNetTcp(text, f)).toEqual(parseProcNetTcpByFields(text, f));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
