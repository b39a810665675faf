import {
  STATUS_CODES,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { SocketError } from '@sockspec/sockets';
import type { ApiError } from './protocol';
import { HttpError, badRequest } from './http-error';
import type { Router } from './router';

const MAX_BODY_BYTES = 64 * 1024;
/**
 * How long an idle kept-alive connection stays open. Longer than any client keeps one idle (Node's agent 5 s,
 * undici 4 s), so the client always closes first: with Node's default of 5 s, a client reusing a connection just as
 * the server closed it got EPIPE or ECONNRESET (seen as the supervisor's 502s on slow emulated kernels).
 */
export const KEEP_ALIVE_MS = 65_000;

export interface AgentServerOptions {
  /** Every request must carry `Authorization: Bearer <token>`; a function is asked at each request. */
  readonly token: string | (() => string);
  /** The routes; a function is asked at each request (a renewed agent answers with its new parts). */
  readonly router: Router | (() => Router);
  /** Told of every authorized request that may change something (all but GET) before its handler runs... */
  readonly beforeChange?: () => void;
  /** ... and again once the handler has answered (or failed). */
  readonly afterChange?: () => void;
  /** Takes the requests meant for someone else (a VM kernel's supervisor hands a target's to its agent). */
  readonly forward?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

/**
 * The agent's HTTP front: token check, JSON bodies, errors as JSON. A handler's exception never takes the
 * daemon down: it becomes a 4xx/5xx answer and the server keeps serving. What Node's HTTP server would answer
 * by itself (a request it cannot parse, a missing Host, an expectation it cannot meet, CONNECT) is answered
 * here too, as JSON, so every refusal a client sees has the same shape.
 */
export function createAgentServer(options: AgentServerOptions): Server {
  const expected = (): Buffer =>
    Buffer.from(`Bearer ${typeof options.token === 'function' ? options.token() : options.token}`);
  const listener =
    (unmetExpectation: boolean) =>
    (request: IncomingMessage, response: ServerResponse): void => {
      if (options.forward?.(request, response) === true) return;
      handle(request, response, options, expected(), unmetExpectation).catch((error: unknown) => {
        send(response, 500, errorBody('internal', String(error)));
      });
    };
  // Host is checked in handle(), where the answer is JSON; Node's own check answers with an empty body.
  const server = createServer(
    { requireHostHeader: false, keepAliveTimeout: KEEP_ALIVE_MS },
    listener(false),
  );
  // Node emits this instead of 'request' for an Expect it does not know (anything but 100-continue).
  server.on('checkExpectation', listener(true));
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    if (!authorized(request.headers.authorization, expected())) {
      endWithAnswer(socket, 401, UNAUTHORIZED);
    } else {
      const message = `CONNECT is not allowed on ${request.url ?? ''}: the agent is no proxy`;
      endWithAnswer(socket, 404, errorBody('not-found', message));
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'too-large', 'the request head is over the size the agent reads']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'timeout', 'the request did not arrive in time']
          : [400, 'bad-request', `the request is not valid HTTP: ${parserReason(error)}`];
    endWithAnswer(socket, status, errorBody(code, message));
  });
  return server;
}

const UNAUTHORIZED = errorBody(
  'unauthorized',
  'a valid "Authorization: Bearer <token>" header is required',
);

/** The HTTP parser's own words for what is wrong (`Invalid method encountered`), or its error code. */
function parserReason(error: NodeJS.ErrnoException): string {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason !== '' ? reason : (error.code ?? error.message);
}

/** How long a connection answered on its raw socket may stay half closed before the agent ends it. */
export const RAW_ANSWER_LINGER_MS = 5_000;

/**
 * Answers on a raw connection (no ServerResponse exists for it) and closes it. Like Node's default, only when
 * nothing was written on it yet: an answer in the middle of another would corrupt both. What the client sent
 * beyond the head is read and dropped, so the agent sees it go (a socket left unread never would, and stays
 * open); a client that neither closes nor stops sending is cut off after {@link RAW_ANSWER_LINGER_MS}.
 */
function endWithAnswer(socket: Duplex, status: number, body: ApiError): void {
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (!socket.writable || written > 0) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'content-type: application/json\r\n' +
      `content-length: ${Buffer.byteLength(text)}\r\n` +
      'connection: close\r\n\r\n' +
      text,
  );
  socket.resume();
  const cutOff = setTimeout(() => socket.destroy(), RAW_ANSWER_LINGER_MS);
  socket.once('close', () => clearTimeout(cutOff));
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  { router: routes, beforeChange, afterChange }: AgentServerOptions,
  expected: Buffer,
  unmetExpectation: boolean,
): Promise<void> {
  const changes = request.method !== 'GET';
  let authorizedRequest = false;
  try {
    if (request.httpVersion === '1.1' && request.headers.host === undefined) {
      throw badRequest('an HTTP/1.1 request needs a Host header');
    }
    if (!authorized(request.headers.authorization, expected)) {
      throw new HttpError(401, UNAUTHORIZED.error.code, UNAUTHORIZED.error.message);
    }
    authorizedRequest = true;
    if (changes) beforeChange?.();
    if (unmetExpectation) {
      throw new HttpError(
        417,
        'expectation-failed',
        `the agent cannot meet 'Expect: ${request.headers.expect ?? ''}'; only 100-continue is known`,
      );
    }
    const url = requestUrl(request.url);
    const router = typeof routes === 'function' ? routes() : routes;
    const { handler, ids } = router.find(request.method ?? 'GET', url.pathname);
    const body = await readJsonBody(request);
    const result = await handler({ ids, query: url.searchParams, body });
    send(response, 200, result ?? {});
  } catch (error) {
    answerError(response, error);
  } finally {
    if (authorizedRequest && changes) afterChange?.();
  }
}

/** An error as the answer: its own status for an HttpError, 422 with the errno for a socket call, else 500. */
function answerError(response: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) {
    send(response, error.status, errorBody(error.code, error.message));
  } else if (error instanceof SocketError) {
    send(response, 422, {
      error: {
        code: error.code,
        message: error.message,
        syscall: error.syscall,
        hint: error.hint,
      },
    });
  } else {
    send(
      response,
      500,
      errorBody('internal', error instanceof Error ? error.message : String(error)),
    );
  }
}

/** The request target as a URL; a target no URL can be made of (`//[`) is a bad request, not a crash. */
function requestUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://agent');
  } catch {
    throw badRequest(`the request target '${target ?? ''}' is not a path`);
  }
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The body, parsed. A body over 64 KiB is refused (413) as soon as it passes the limit, and the rest of it is read
 * and dropped: a socket left paused with unread data would never see its client go and would stay open.
 */
function readJsonBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        chunks.length = 0;
        reject(new HttpError(413, 'too-large', 'the body is over 64 KiB'));
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      if (refused) return;
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(badRequest('the body is not valid JSON'));
      }
    });
    // A client gone before its body ended: nobody is left to answer, but the handler must not wait forever. An
    // error (a reset mid-body) is followed by 'close', which gives the answer; listening keeps it from throwing.
    request.on('error', () => undefined);
    request.on('close', () => {
      if (!request.complete) reject(badRequest('the request ended before its body did'));
    });
  });
}

function errorBody(code: string, message: string): ApiError {
  return { error: { code, message } };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
