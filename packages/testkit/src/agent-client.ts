import type { ApiError } from '@sockspec/agent/protocol';
import { AgentUnreachable, networkErrorCode } from './agent-unreachable';
import { HARNESS_CEILING_MS, HarnessStall } from './harness-stall';
import { TargetSocketError } from './target-socket-error';

/** Attempts for a request that changes nothing (GET) when no answer came back at all. */
const IDEMPOTENT_ATTEMPTS = 3;
const RETRY_DELAY_MS = 200;

/** A failure of the agent itself or of a request to it (not a socket call's errno: see TargetSocketError). */
export class AgentRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AgentRequestError';
  }
}

/** What a request may say about itself: how long the agent is asked to wait before it answers. */
export interface RequestOptions {
  /** A long poll or a wait: the answer may take this long, on top of the harness's ceiling. */
  readonly expectMs?: number;
}

/**
 * Talks HTTP+JSON to one target's agent, on 127.0.0.1 only, with the target's token. A GET that gets no answer at
 * all is tried again (it changes nothing); any other request is not, since it may have taken effect. When no
 * answer comes, `diagnose` (given by the kind of target) says what became of the target. An answer that does not
 * come within `ceilingMs` (beyond the wait the request asked for) is a HarnessStall.
 */
export class AgentClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly diagnose: () => Promise<string | undefined> = async () => undefined,
    private readonly ceilingMs = HARNESS_CEILING_MS,
  ) {}

  get<T>(
    path: string,
    query?: Record<string, string | number | undefined>,
    options?: RequestOptions,
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const suffix = params.size > 0 ? `?${params.toString()}` : '';
    return this.request<T>('GET', path + suffix, undefined, options);
  }

  post<T>(path: string, body: unknown = {}, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, body, options);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    const attempts = method === 'GET' ? IDEMPOTENT_ATTEMPTS : 1;
    const limitMs = this.ceilingMs + (options.expectMs ?? 0);
    const started = Date.now();
    let response: Response | undefined;
    for (let attempt = 1; response === undefined; attempt += 1) {
      try {
        response = await fetch(this.baseUrl + path, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(Math.max(1, limitMs - (Date.now() - started))),
        });
      } catch (error) {
        if (isTimeout(error)) throw this.stall(method, path, started);
        const code = networkErrorCode(error);
        if (code === undefined) throw error;
        if (attempt >= attempts) {
          throw new AgentUnreachable(
            code,
            `${method} ${path}`,
            await this.diagnose().catch(() => undefined),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch (error) {
      if (isTimeout(error)) throw this.stall(method, path, started);
      throw error;
    }
    if (response.ok) return answer as T;
    const error = (answer as Partial<ApiError>).error;
    if (response.status === 422 && error?.syscall !== undefined) {
      throw new TargetSocketError(error.code, error.syscall, error.message, error.hint);
    }
    throw new AgentRequestError(
      response.status,
      error?.code ?? 'unknown',
      `${method} ${path}: ${response.status} ${error?.message ?? JSON.stringify(answer)}`,
    );
  }

  private stall(method: string, path: string, started: number): HarnessStall {
    return new HarnessStall(
      `an answer from the agent at ${this.baseUrl} to ${method} ${path}`,
      Date.now() - started,
      'and none came',
    );
  }
}

/** An abort by AbortSignal.timeout: a DOMException named TimeoutError (from fetch's own realm under Jest). */
function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'TimeoutError';
}
