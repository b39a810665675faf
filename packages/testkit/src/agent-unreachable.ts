/**
 * The target's agent could not be reached at all: no HTTP answer came back (the connection was refused, reset or
 * closed before a response). `code` is the network errno (ECONNREFUSED, ECONNRESET, ...) or `UND_ERR_SOCKET` when
 * the other side closed; `diagnosis` says what became of the target, when its kind can tell.
 */
export class AgentUnreachable extends Error {
  constructor(
    readonly code: string,
    readonly request: string,
    readonly diagnosis: string | undefined,
  ) {
    super(
      `${request}: the target's agent did not answer (${code})` +
        (diagnosis === undefined ? '' : `; ${diagnosis}`) +
        ". Hint: a target whose agent died or whose container was removed (by another run's sweep, or by hand) " +
        'cannot answer; `docker ps -a --filter label=sockspec.run` lists the targets that exist.',
    );
    this.name = 'AgentUnreachable';
  }
}

/**
 * The errno-like code of a failed fetch (undici wraps it in `cause`), or undefined for other errors. Duck-typed:
 * under Jest, fetch's TypeError comes from another realm than the test's.
 */
export function networkErrorCode(error: unknown): string | undefined {
  if ((error as { message?: unknown } | undefined)?.message !== 'fetch failed') return undefined;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : 'ENETUNREACH';
}
