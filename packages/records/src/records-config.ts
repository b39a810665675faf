/** The records' settings, read from the environment in this one place. */
export interface RecordsConfig {
  /** Where a run's records and report go (SOCKSPEC_REPORT_DIR); undefined: report/ at the project's root. */
  readonly reportDir: string | undefined;
}

export function recordsConfig(env: NodeJS.ProcessEnv = process.env): RecordsConfig {
  const dir = env.SOCKSPEC_REPORT_DIR;
  return { reportDir: dir === undefined || dir === '' ? undefined : dir };
}
