import { readProgress } from '@sockspec/records';

const EVERY_MS = 5_000;
/** A wait shorter than this is not worth a line. */
const WORTH_SAYING_MS = 3_000;

interface PendingWait {
  readonly scenario?: string;
  readonly what: string;
  readonly timeoutMs: number;
  readonly start: number;
}

/** Prints, every few seconds, what the running specs wait on and the time left; answers the call that stops it. */
export function watchProgress(file: string): () => void {
  const pending = new Map<string, PendingWait>();
  let offset = 0;
  const timer = setInterval(() => {
    const read = readProgress(file, offset);
    offset = read.offset;
    for (const line of read.lines) {
      if ('end' in line) pending.delete(line.id);
      else pending.set(line.id, line);
    }
    const now = Date.now();
    for (const wait of pending.values()) {
      if (now - wait.start < WORTH_SAYING_MS) continue;
      const waited = Math.round((now - wait.start) / 1000);
      const left = Math.max(0, Math.round((wait.start + wait.timeoutMs - now) / 1000));
      process.stdout.write(
        `  … ${wait.scenario ?? '?'}: waiting for ${wait.what} (${waited} s so far, at most ${left} s left)\n`,
      );
    }
  }, EVERY_MS);
  return () => clearInterval(timer);
}
