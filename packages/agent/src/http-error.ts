/** A request the agent refuses: carries the HTTP status and a short code for the JSON error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'bad-request', message);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'not-found', message);
}
