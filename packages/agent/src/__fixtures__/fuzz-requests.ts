import fc from 'fast-check';
import { PATHS } from '../protocol';
import { LOOPBACK_SPELLINGS } from './defuse-request';

/** How a fuzzed request authenticates: with the agent's token, without the header, or with a wrong one. */
export type AuthKind = 'valid' | 'missing' | 'wrong';

/**
 * What a fuzzed body is: nothing; any JSON; an object of the agent's own field names with values of any type;
 * text that is not JSON; over the agent's 64 KiB limit; or random bytes.
 */
export type BodyKind = 'none' | 'json' | 'fields' | 'malformed-json' | 'oversized' | 'bytes';

/** One HTTP request with well-formed framing and fuzzed content: method, target, headers, token and body. */
export interface FuzzRequest {
  readonly method: string;
  readonly target: string;
  readonly auth: AuthKind;
  /** The Authorization header's value when auth is 'wrong'. */
  readonly wrongAuthorization: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly bodyKind: BodyKind;
  readonly body: Buffer;
}

/** The methods the agent answers on some path. */
type Method = 'GET' | 'POST' | 'DELETE';

/**
 * Per path of the protocol (PATHS, by its name), the methods the agent answers there and the body fields each
 * reads. Keyed by every name of PATHS, so that a path added to the protocol does not type-check until it is fuzzed;
 * agent-fuzz-routes.test.ts checks the methods against the routes the agent registers.
 */
const ROUTE_FIELDS: {
  readonly [name in keyof typeof PATHS]: Readonly<Partial<Record<Method, readonly string[]>>>;
} = {
  info: { GET: [] },
  sockets: { POST: ['family'] },
  socketOptions: {
    GET: [],
    POST: ['reuseAddr', 'reusePort', 'v6Only', 'linger', 'keepalive', 'userTimeoutMs'],
  },
  socketBind: { POST: ['address', 'port'] },
  socketListen: { POST: ['backlog'] },
  socketAccept: { POST: [] },
  socketConnect: { POST: ['address', 'port'] },
  socketStatus: { GET: [] },
  socketSend: { POST: ['text'] },
  socketRecv: { POST: ['maxBytes'] },
  socketShutdown: { POST: ['how'] },
  socketClose: { POST: [] },
  closeInOrder: { POST: ['ids'] },
  programs: { POST: ['program', 'args', 'uid', 'cwd'] },
  program: { GET: [] },
  programSignal: { POST: ['signal'] },
  tcp: { GET: [] },
  tcpWait: { POST: ['filter', 'count', 'absent', 'timeoutMs'] },
  tcpChanges: { GET: [] },
  sysctls: { GET: [] },
  counters: { GET: [] },
  drops: { GET: [], POST: ['sourcePort', 'destinationPort', 'segments'] },
  drop: { DELETE: [] },
  captures: { POST: ['port'] },
  capture: { GET: [] },
  captureStop: { POST: [] },
  capturePcap: { GET: [] },
  renew: { POST: ['token'] },
  files: { POST: [] },
  fileBatch: { POST: ['files'] },
};

/** Every route the agent answers: method, path (`:id` where it expects a number), the body fields it reads. */
export const AGENT_ROUTES: ReadonlyArray<readonly [string, string, readonly string[]]> =
  Object.entries(ROUTE_FIELDS).flatMap(([name, methods]) =>
    Object.entries(methods).map(
      ([method, fields]) => [method, PATHS[name as keyof typeof PATHS], fields] as const,
    ),
  );

/** The query parameters each path reads. */
const ROUTE_QUERIES: Readonly<Record<string, readonly string[]>> = {
  [PATHS.program]: ['after', 'waitMs'],
  [PATHS.tcp]: ['state', 'localPort', 'remotePort', 'processes'],
  [PATHS.tcpChanges]: ['after', 'waitMs'],
  [PATHS.sysctls]: ['names', 'prefix'],
};

const port = fc.integer({ min: 0, max: 65535 });

/** Per field the agent reads, values it would accept (bar the ones the defuser disarms). */
const PLAUSIBLE: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  family: fc.constantFrom('ipv4', 'ipv6'),
  reuseAddr: fc.boolean(),
  reusePort: fc.boolean(),
  v6Only: fc.boolean(),
  linger: fc.record({ enabled: fc.boolean(), seconds: fc.nat({ max: 5 }) }),
  keepalive: fc.record({
    enabled: fc.boolean(),
    idleSeconds: fc.integer({ min: 1, max: 32767 }),
    intervalSeconds: fc.integer({ min: 1, max: 32767 }),
    count: fc.integer({ min: 1, max: 127 }),
  }),
  userTimeoutMs: fc.nat({ max: 60_000 }),
  address: fc.constantFrom(...LOOPBACK_SPELLINGS),
  port,
  backlog: fc.integer({ min: -1, max: 8 }),
  text: fc.string({ maxLength: 40 }),
  maxBytes: fc.integer({ min: 1, max: 100_000 }),
  how: fc.constantFrom('read', 'write', 'both'),
  ids: fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 3 }),
  program: fc.constantFrom('server', 'client', 'inspect'),
  args: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  uid: fc.integer({ min: 0, max: 65_534 }),
  signal: fc.constantFrom('SIGTERM', 'SIGINT', 'SIGKILL', 'SIGHUP'),
  filter: fc.record(
    {
      state: fc.array(
        fc.constantFrom('LISTEN', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE_WAIT', 'SYN_SENT'),
        { maxLength: 3 },
      ),
      localPort: port,
      remotePort: port,
      localAddress: fc.constantFrom(...LOOPBACK_SPELLINGS),
      remoteAddress: fc.constantFrom(...LOOPBACK_SPELLINGS),
    },
    { requiredKeys: [] },
  ),
  count: fc.integer({ min: 1, max: 5 }),
  absent: fc.boolean(),
  timeoutMs: fc.integer({ min: 0, max: 50 }),
  sourcePort: port,
  destinationPort: port,
  segments: fc.constantFrom('fin', 'ack-only', 'rst', 'any'),
  cwd: fc.constantFrom('/', '/tmp', 'relative', '/no/such/folder', ''),
  token: fc.stringMatching(/^[0-9a-f]{12,40}$/),
  files: fc.array(
    fc.record(
      {
        path: fc.constantFrom('a.txt', 'dir/b.sh', '../up.txt', '/abs.txt', 'a//b', ''),
        data: fc.base64String({ maxLength: 40 }),
        mode: fc.constantFrom(0o644, 0o755, 0o1000, -1),
        append: fc.boolean(),
      },
      { requiredKeys: ['path', 'data'] },
    ),
    { maxLength: 3 },
  ),
};

/** The field names the agent reads from bodies, at any level, and two that trip up careless readers. */
const FIELD_NAMES = [
  ...Object.keys(PLAUSIBLE),
  'enabled',
  'seconds',
  'state',
  'path',
  'data',
  'mode',
  'append',
  '__proto__',
  'constructor',
];

const QUERY_NAMES = [
  'after',
  'waitMs',
  'state',
  'localPort',
  'remotePort',
  'processes',
  'names',
  'prefix',
];

/** Words the agent accepts somewhere: a value that is right for one field and wrong for most. */
const KNOWN_WORDS = [
  'ipv4',
  'ipv6',
  'read',
  'write',
  'both',
  'LISTEN',
  'ESTABLISHED',
  'TIME_WAIT',
  'fin',
  'rst',
  'SIGTERM',
  'SIGKILL',
  'server',
  'client',
  'inspect',
  'toString',
  'hasOwnProperty',
  ...LOOPBACK_SPELLINGS,
];

/** Sysctl-shaped names: readable, write-only, unreadable while unset, a directory, below a file, absent. */
const SYSCTL_NAMES = [
  'net.ipv4.tcp_fin_timeout',
  'net.core.somaxconn',
  'net.ipv4.route.flush',
  'net.ipv6.conf.all.stable_secret',
  'net.ipv4',
  'net.ipv4.tcp_fin_timeout.extra',
  'net.ipv4.no_such_sysctl',
  'kernel.ostype',
];

/** Text safe inside a request target: printable ASCII without space. */
const TARGET_TEXT = fc.stringMatching(/^[!-~]{0,24}$/);

const idText = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 30 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0',
      '999999999',
      '1234567890',
      '99999999999999999999',
      '-1',
      '1.5',
      '1e3',
      '0x1',
      '00001',
      'abc',
      '',
      '%31',
      '%00',
      '..',
      '.',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: TARGET_TEXT },
);

const queryValue = fc.oneof(
  fc.nat({ max: 100_000 }).map(String),
  fc.constantFrom(
    '',
    '-1',
    '1e3',
    '0x10',
    'abc',
    '99999999999999999999',
    '1',
    'LISTEN',
    'LISTEN,',
    'LISTEN,ESTABLISHED',
    'estab',
    '%zz',
    ...SYSCTL_NAMES,
    SYSCTL_NAMES.join(','),
    '../../etc/passwd',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
);

/** A comma-separated list of sysctl-shaped names, as /v1/sysctls reads them. */
const sysctlList = fc
  .array(fc.oneof(fc.constantFrom(...SYSCTL_NAMES), fc.stringMatching(/^[a-z0-9_.]{1,20}$/)), {
    minLength: 1,
    maxLength: 3,
  })
  .map((names) => names.join(','));

/** A query string of up to four pairs, the names mostly those the route reads when it reads some. */
const query = (routeQueries: readonly string[] = []): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        {
          weight: routeQueries.length > 0 ? 4 : 0,
          arbitrary: fc
            .constantFrom(...routeQueries, 'names')
            .chain((name) =>
              fc.tuple(fc.constant(name), name === 'names' ? sysctlList : queryValue),
            ),
        },
        {
          weight: 1,
          arbitrary: fc.tuple(
            fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.stringMatching(/^[a-zA-Z]{1,8}$/)),
            queryValue,
          ),
        },
      ),
      { maxLength: 4 },
    )
    .map((pairs) =>
      pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`,
    );

/** Small changes to a route's path the URL parser may or may not undo. */
const pathMutation = fc.constantFrom(
  (path: string) => path,
  (path: string) => path,
  (path: string) => path,
  (path: string) => `${path}/`,
  (path: string) => `${path}/..`,
  (path: string) => path.replace('/v1/', '/v1/./'),
  (path: string) => path.replace('/v1/', '/v1//'),
  (path: string) => path.replace('/v1/', '/v1\\'),
  (path: string) => path.replace('/v1/', '/V1/'),
  (path: string) => path.replace('/v1/', '/v1/%2e/'),
  (path: string) => `${path}#fragment`,
  (path: string) => `http://agent${path}`,
);

/** One of the agent's routes with a garbage or real id, maybe mangled, with a fuzzed query. */
const routeTarget = (path: string): fc.Arbitrary<string> =>
  fc
    .tuple(idText, pathMutation, query(ROUTE_QUERIES[path]))
    .map(([id, mutate, search]) => mutate(path.replace(':id', id)) + search);

const strangeTarget = fc.constantFrom(
  '*',
  '/',
  '//[',
  'http://[',
  'http://agent:99999/v1/info',
  '//evil/v1/info',
  '/v1/info#x',
  '/v1/tcp?%zz',
  '/v1/../v1/info',
  '/%',
  '/v1/%',
  '/v1/sockets/1/..%2fbind',
  '/v1/sysctls?names=',
  '/v1/sysctls?names=,,,',
);

/** Request targets: the agent's own routes with garbage ids and queries, strange targets, random paths. */
export const fuzzTarget: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...AGENT_ROUTES).chain(([, path]) => routeTarget(path)),
  },
  { weight: 1, arbitrary: strangeTarget },
  { weight: 1, arbitrary: TARGET_TEXT.map((text) => `/v1/${text}`) },
  { weight: 1, arbitrary: fc.webPath().filter((path) => path.startsWith('/')) },
);

const fuzzMethod: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH') },
  { weight: 1, arbitrary: fc.constantFrom('OPTIONS', 'HEAD', 'PROPFIND', 'PURGE', 'SEARCH') },
);

const headerValue = fc.stringMatching(/^[ -~]{0,40}$/);

/** Headers a client might send, none of which changes how the request is framed. */
const oddHeader: fc.Arbitrary<readonly [string, string]> = fc.oneof(
  fc.tuple(
    fc.constant('content-type'),
    fc.oneof(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/json; charset=latin1',
        'multipart/form-data; boundary=x',
        '',
      ),
      headerValue,
    ),
  ),
  fc.tuple(
    fc.constantFrom('accept', 'accept-encoding', 'content-encoding', 'x-forwarded-for'),
    headerValue,
  ),
  fc.tuple(fc.constant('expect'), fc.constantFrom('100-continue', 'nonsense', '')),
  fc.tuple(fc.constant('authorization'), fc.constantFrom('Bearer nope', '')),
  fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), headerValue),
);

const jsonText = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null');

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const malformedJson = fc
  .oneof(
    fc.constantFrom(
      '{',
      '{"family":',
      '{"a":}',
      "{'family':'ipv4'}",
      '{"a":1,}',
      '[1,]',
      'NaN',
      'undefined',
      '\uFEFF{}',
      '{"a":"\u0000"',
      ' ',
      '\r\n',
      '{}{}',
      'nul',
      '{"port":0x10}',
    ),
    fc.tuple(jsonText, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))),
    fc.tuple(jsonText, fc.stringMatching(/^[\]}{[,:"]{1,3}$/)).map(([text, tail]) => text + tail),
  )
  .filter((text) => text.length > 0 && !parses(text))
  .map((text) => Buffer.from(text));

/** A value of any JSON type, or one the agent knows, or text just over a length limit. */
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...KNOWN_WORDS),
  fc.integer({ min: -5, max: 70_000 }),
  fc.constantFrom(1e9, 2 ** 31, 2 ** 53, -0, 0.5, 1e308),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.nat({ max: 20 }), fc.constantFrom(...KNOWN_WORDS)), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('x'.repeat(4097), 'x'.repeat(60_001)),
  fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Objects of the agent's field names: a route's own fields, two thirds plausible, or any of them. */
const fieldsBody = (routeFields: readonly string[]): fc.Arbitrary<Buffer> =>
  fc
    .oneof(
      fc.record(
        Object.fromEntries(
          routeFields.map((name) => {
            const plausible = PLAUSIBLE[name] ?? fieldValue;
            return [name, fc.oneof(plausible, plausible, fieldValue)];
          }),
        ),
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.constantFrom(...FIELD_NAMES), fieldValue, { maxKeys: 5 }),
    )
    .map((fields) => Buffer.from(JSON.stringify(fields)));

const MAX_BODY_BYTES = 64 * 1024;

const oversizedBody = fc
  .tuple(fc.integer({ min: MAX_BODY_BYTES + 1, max: 4 * MAX_BODY_BYTES }), fc.boolean())
  .map(([size, asJson]) =>
    asJson ? Buffer.from(`{"text":"${'a'.repeat(size - 11)}"}`) : Buffer.alloc(size, 0x61 /* a */),
  );

function bodyOfKind(routeFields: readonly string[]): Record<BodyKind, fc.Arbitrary<Buffer>> {
  return {
    none: fc.constant(Buffer.alloc(0)),
    json: jsonText.map((text) => Buffer.from(text)),
    fields: fieldsBody(routeFields),
    'malformed-json': malformedJson,
    oversized: oversizedBody,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  };
}

/** A body of any kind; objects of fields are mostly `routeFields` when some are given. */
export function fuzzBody(
  routeFields: readonly string[] = [],
): fc.Arbitrary<{ bodyKind: BodyKind; body: Buffer }> {
  const bodies = bodyOfKind(routeFields);
  return fc
    .constantFrom<BodyKind>(
      'none',
      'none',
      'json',
      'fields',
      'fields',
      'fields',
      'malformed-json',
      'oversized',
      'bytes',
    )
    .chain((bodyKind) => bodies[bodyKind].map((body) => ({ bodyKind, body })));
}

/** Authorization header values that are not the token (the same length as it among them). */
function wrongAuthorizations(token: string): fc.Arbitrary<string> {
  const right = `Bearer ${token}`;
  return fc
    .oneof(
      fc.constantFrom(
        '',
        'Bearer',
        'Bearer ',
        `bearer ${token}`,
        `Basic ${token}`,
        `Bearer ${token.toUpperCase()}`,
        `Bearer ${token}x`,
        `Bearer ${token.slice(1)}`,
        `Bearer ${'x'.repeat(token.length)}`,
        `Bearer  ${token}`,
      ),
      headerValue,
    )
    .filter((value) => value.trim() !== right);
}

/** A method, target and body aimed at one route: mostly its own method and its own fields. */
const aimedAtRoute = fc.constantFrom(...AGENT_ROUTES).chain(([method, path, fields]) =>
  fc.record({
    method: fc.oneof(
      { weight: 3, arbitrary: fc.constant(method) },
      { weight: 1, arbitrary: fuzzMethod },
    ),
    target: routeTarget(path),
    body: fuzzBody(fields),
  }),
);

/** A method, target and body chosen apart from each other. */
const unaimed = fc.record({ method: fuzzMethod, target: fuzzTarget, body: fuzzBody() });

/** Requests with well-formed HTTP framing and fuzzed everything else. */
export function fuzzRequest(token: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      aimed: fc.oneof({ weight: 3, arbitrary: aimedAtRoute }, { weight: 1, arbitrary: unaimed }),
      auth: fc.constantFrom<AuthKind>(
        'valid',
        'valid',
        'valid',
        'valid',
        'valid',
        'valid',
        'missing',
        'wrong',
      ),
      wrongAuthorization: wrongAuthorizations(token),
      headers: fc.array(oddHeader, { maxLength: 3 }),
    })
    .map(({ aimed: { method, target, body }, ...rest }) => ({ method, target, ...body, ...rest }));
}

/**
 * The request's bytes: request line, Host, Connection: close (one request per connection), the token or not,
 * the extra headers, Content-Length, body.
 */
export function requestBytes(request: FuzzRequest, token: string): Buffer {
  const lines = [
    `${request.method} ${request.target} HTTP/1.1`,
    'host: 127.0.0.1',
    'connection: close',
  ];
  if (request.auth === 'valid') lines.push(`authorization: Bearer ${token}`);
  if (request.auth === 'wrong') lines.push(`authorization: ${request.wrongAuthorization}`);
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${request.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), request.body]);
}
