/** The sockspec command's settings from its environment, read in this one place. */
export interface CliConfig {
  /** The kind of target runs use unless told (SOCKSPEC_TARGET): container, or vm:<series>. */
  readonly target: string;
  /** Live lines per test from the reporter (SOCKSPEC_PROGRESS=1, set by `sockspec run` for its Jest). */
  readonly progress: boolean;
  /** Where the person typed the command (SOCKSPEC_COMMAND_CWD, set by `sockspec run`), for the paths it prints. */
  readonly commandCwd: string;
  /** A step summary file to append the claims table to (GITHUB_STEP_SUMMARY, on GitHub Actions). */
  readonly stepSummary: string | undefined;
  /** The Chromium the report is checked in (SOCKSPEC_CHROMIUM); Debian's by default. */
  readonly chromium: string;
}

export function cliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return {
    target: env.SOCKSPEC_TARGET || 'container',
    progress: env.SOCKSPEC_PROGRESS === '1',
    commandCwd: env.SOCKSPEC_COMMAND_CWD || process.cwd(),
    stepSummary: env.GITHUB_STEP_SUMMARY || undefined,
    chromium: env.SOCKSPEC_CHROMIUM || '/usr/bin/chromium',
  };
}
