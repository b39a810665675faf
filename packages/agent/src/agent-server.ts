import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { SocketError } from '@sockspec/sockets';
import type { ApiError } from './api';
import { HttpError, badRequest } from './http-error';
import type { Router } from './router';

const MAX_BODY_BYTES = 64 * 1024;

export interface AgentServerOptions {
  /** Every request must carry `Authorization: Bearer <token>`. */
  readonly token: string;
  readonly router: Router;
}

/**
 * The agent's HTTP front: token check, JSON bodies, errors as JSON. A handler's exception never takes the
 * daemon down: it becomes a 4xx/5xx answer and the server keeps serving.
 */
export function createAgentServer(options: AgentServerOptions): Server {
  const expected = Buffer.from(`Bearer ${options.token}`);
  return createServer((request, response) => {
    handle(request, response, options.router, expected).catch((error: unknown) => {
      send(response, 500, errorBody('internal', String(error)));
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  router: Router,
  expected: Buffer,
): Promise<void> {
  try {
    if (!authorized(request.headers.authorization, expected)) {
      throw new HttpError(
        401,
        'unauthorized',
        'a valid "Authorization: Bearer <token>" header is required',
      );
    }
    const url = new URL(request.url ?? '/', 'http://agent');
    const { handler, ids } = router.find(request.method ?? 'GET', url.pathname);
    const body = await readJsonBody(request);
    const result = await handler({ ids, query: url.searchParams, body });
    send(response, 200, result ?? {});
  } catch (error) {
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
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'too-large', 'the body is over 64 KiB');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw badRequest('the body is not valid JSON');
  }
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
