import type { ApiError } from '@sockspec/agent';
import { TargetSocketError } from './target-socket-error';

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

/** Talks HTTP+JSON to one target's agent, on 127.0.0.1 only, with the target's token. */
export class AgentClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const suffix = params.size > 0 ? `?${params.toString()}` : '';
    return this.request<T>('GET', path + suffix);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as unknown;
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
}
