import type { ProgramSettings } from './program-events';

/**
 * The programs' settings from their environment, read in this one place. SOCKSPEC_PROGRAM_WAKE_MS makes a program
 * wake every that many ms with nothing to do, as the programs' polling loops did before they slept in poll(2):
 * `npm run bench` sets it to measure what that cost.
 */
export function programSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ProgramSettings {
  const text = env.SOCKSPEC_PROGRAM_WAKE_MS;
  if (text === undefined || text === '') return {};
  const wakeEveryMs = Number(text);
  if (!Number.isInteger(wakeEveryMs) || wakeEveryMs < 1 || wakeEveryMs > 60_000) {
    throw new Error(`SOCKSPEC_PROGRAM_WAKE_MS must be an integer from 1 to 60000, not '${text}'`);
  }
  return { wakeEveryMs };
}
