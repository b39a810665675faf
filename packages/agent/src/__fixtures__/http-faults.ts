import fc from 'fast-check';

/** A request broken at the HTTP level (not in its JSON): its bytes, and which fault broke it. */
export interface BrokenHttpRequest {
  readonly fault: string;
  readonly bytes: Buffer;
}

interface RequestParts {
  readonly method: string;
  readonly target: string;
  readonly version: string;
  /** Header lines after the request line, each without its line ending. */
  readonly headers: readonly string[];
  /** What follows the head, as sent (already chunked when the fault chunks it). */
  readonly body: string;
  readonly lineEnding: string;
}

function bytesOf(parts: RequestParts): Buffer {
  const end = parts.lineEnding;
  const head = [`${parts.method} ${parts.target} ${parts.version}`, ...parts.headers].join(end);
  return Buffer.from(`${head}${end}${end}${parts.body}`, 'latin1');
}

/** Text with every byte value except CR and LF, one character per byte. */
const lineBytes = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .array(
      fc.integer({ min: 0, max: 255 }).filter((byte) => byte !== 10 && byte !== 13),
      { maxLength },
    )
    .map((bytes) => String.fromCharCode(...bytes));

/** Ways to break HTTP, each a change to a good request (which `good` describes) that carries the token. */
function faults(good: RequestParts): fc.Arbitrary<[string, RequestParts]> {
  const body = good.body;
  const length = `content-length: ${body.length}`;
  const withHeaders = (...headers: string[]): RequestParts => ({
    ...good,
    headers: [...good.headers.filter((line) => !line.startsWith('content-length')), ...headers],
  });
  return fc.oneof(
    fc
      .oneof(
        fc.constantFrom('get', 'BREW', 'G\u0000T', 'GET\u0001', 'CONNECT', 'TRACE', 'M-SEARCH'),
        fc.stringMatching(/^[A-Z]{1,10}$/).filter((method) => method !== 'HEAD'),
      )
      .map((method): [string, RequestParts] => ['method', { ...good, method }]),
    fc
      .constantFrom(
        '/v1/\u0001info',
        '/v1/info\u007f',
        '/v1/\u00fcnfo',
        '/v1/info\u0000',
        '',
        'v1/info',
        '/v1/info extra',
        '127.0.0.1:7070',
        'http://[::1]:0/v1/info',
      )
      .map((target): [string, RequestParts] => ['target', { ...good, target }]),
    fc
      .constantFrom(
        'HTTP/9.9',
        'HTTP/1',
        'HTTP/1.1x',
        'http/1.1',
        'HTTP/2.0',
        'HTTP/0.9',
        'FTP/1.1',
        'HTTP/1.10',
        '',
      )
      .map((version): [string, RequestParts] => ['version', { ...good, version }]),
    fc
      .oneof(
        fc.constantFrom(
          'no-colon-here',
          'x y: z',
          ': empty-name',
          'x-nul: a\u0000b',
          'x-del: \u007f',
          ' folded continuation',
          'x-ctl: \u0001',
          'x-bell\u0007: 1',
          'x-latin: \u00e9',
        ),
        lineBytes(40).filter((line) => line.length > 0),
      )
      .map((line): [string, RequestParts] => [
        'header line',
        { ...good, headers: [...good.headers, line] },
      ]),
    fc
      .constantFrom('\n', '\r', '\n\r')
      .map((lineEnding): [string, RequestParts] => ['line ending', { ...good, lineEnding }]),
    fc
      .constantFrom('abc', '-1', '1 2', '', '0x10', '1,2', '+5', '99999999999999999999999', '1.0')
      .map((value): [string, RequestParts] => [
        'content-length',
        withHeaders(`content-length: ${value}`),
      ]),
    fc
      .constant(withHeaders(length, `content-length: ${body.length + 1}`))
      .map((parts): [string, RequestParts] => ['two content-lengths', parts]),
    fc
      .constantFrom('gzip', 'chunked, gzip', 'identity', 'chunkedx', 'chunked, chunked', '')
      .map((coding): [string, RequestParts] => [
        'transfer-encoding',
        withHeaders(`transfer-encoding: ${coding}`, length),
      ]),
    fc
      .constantFrom(
        'zz\r\nab\r\n0\r\n\r\n',
        '-1\r\nab\r\n0\r\n\r\n',
        'ffffffffffffffffffff\r\nab\r\n0\r\n\r\n',
        '2;ext=\u0000\r\nab\r\n0\r\n\r\n',
        '1\r\nabc\r\n0\r\n\r\n',
        '2\r\nab0\r\n\r\n',
        `${(body.length + 1).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
      )
      .map((chunked): [string, RequestParts] => [
        'chunks',
        { ...withHeaders('transfer-encoding: chunked'), body: chunked },
      ]),
    fc
      .constant({ ...withHeaders('transfer-encoding: chunked', length) })
      .map((parts): [string, RequestParts] => [
        'content-length with chunked',
        { ...parts, body: `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n` },
      ]),
    fc
      .integer({ min: 17 * 1024, max: 64 * 1024 })
      .map((size): [string, RequestParts] => [
        'huge header',
        { ...good, headers: [...good.headers, `x-huge: ${'h'.repeat(size)}`] },
      ]),
    fc.constant<[string, RequestParts]>([
      'no host',
      { ...good, headers: good.headers.filter((line) => !line.startsWith('host')) },
    ]),
    fc.constant<[string, RequestParts]>([
      'expectation',
      { ...good, headers: [...good.headers, 'expect: something-else'] },
    ]),
  );
}

/** Random bytes as a head (not starting with a line break, which the parser skips), ended by an empty line. */
const garbageHead = lineBytes(300)
  .filter((text) => text.length > 0)
  .map((text): BrokenHttpRequest => ({
    fault: 'garbage',
    bytes: Buffer.from(`${text}\r\n\r\n`, 'latin1'),
  }));

/**
 * Requests broken at the HTTP level: a bad method, target, version, header line, line ending, content-length or
 * transfer-encoding, bad chunks, a header over the parser's limit, no Host, an unknown expectation, or garbage.
 * Each starts from a good request with the token, whose target and body (latin1, one character per byte) come
 * from `good`, defused by the caller.
 */
export function brokenHttpRequest(
  token: string,
  good: fc.Arbitrary<{ readonly target: string; readonly body: string }>,
): fc.Arbitrary<BrokenHttpRequest> {
  const broken = fc
    .tuple(fc.constantFrom('GET', 'POST'), good)
    .chain(([method, { target: goodTarget, body: goodBody }]) =>
      faults({
        method,
        target: goodTarget,
        version: 'HTTP/1.1',
        headers: [
          'host: 127.0.0.1',
          'connection: close',
          `authorization: Bearer ${token}`,
          `content-length: ${Buffer.byteLength(goodBody, 'latin1')}`,
        ],
        body: goodBody,
        lineEnding: '\r\n',
      }),
    )
    .map(([fault, parts]): BrokenHttpRequest => ({ fault, bytes: bytesOf(parts) }));
  return fc.oneof({ weight: 6, arbitrary: broken }, { weight: 1, arbitrary: garbageHead });
}
