import { errnoHint, errnoName } from './errno';

/**
 * A socket call that failed: `code` is the errno name (EADDRINUSE, ECONNRESET, ...), `syscall` the call, `hint` a
 * likely cause. Tests assert on `code`, never on the message.
 */
export class SocketError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(
    readonly syscall: string,
    readonly errno: number,
    detail = '',
    description?: string,
  ) {
    const code = errnoName(errno);
    const hint = errnoHint(code);
    super(
      `${syscall}${detail === '' ? '' : `(${detail})`} failed: ${code}` +
        (description === undefined ? '' : ` (${description})`) +
        (hint === undefined ? '' : `. Hint: ${hint}`),
    );
    this.name = 'SocketError';
    this.code = code;
    this.hint = hint;
  }
}
