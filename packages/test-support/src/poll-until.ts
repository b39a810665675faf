/** How long pollUntil waits, and how often it asks. */
export interface PollOptions {
  /** Give up after this long (default 2 s). */
  readonly timeoutMs?: number;
  /** Ask again after this long (default 5 ms). */
  readonly intervalMs?: number;
}

/**
 * Asks `attempt` until it answers something other than null or false, and resolves with that answer; rejects
 * with "timed out after N ms" once the time is up. For tests that wait on the kernel, a process or a server.
 */
export async function pollUntil<T>(
  attempt: () => T | null | false | Promise<T | null | false>,
  { timeoutMs = 2_000, intervalMs = 5 }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
