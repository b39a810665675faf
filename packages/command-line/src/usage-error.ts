/** A mistake in a command's words: the command answers it with its usage and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
