/**
 * A socket call that failed inside a target, as the kernel there reported it: `code` is the errno name
 * (EADDRINUSE, ECONNRESET, ...) and `syscall` the call. Specs assert on `code`.
 */
export class TargetSocketError extends Error {
  constructor(
    readonly code: string,
    readonly syscall: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TargetSocketError';
  }
}
