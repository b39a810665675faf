/**
 * The environment of one Jest run of the scenarios started by the sockspec command: the run's id and owner (so
 * that everything it makes carries its labels and a sweep finds it), where it writes its records, and its target.
 */
export function runEnvironment(options: {
  readonly runId: string;
  readonly reportDir: string;
  readonly target?: string;
  readonly progressFile?: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SOCKSPEC_REPORT_DIR: options.reportDir,
    ...(options.target === undefined ? {} : { SOCKSPEC_TARGET: options.target }),
    SOCKSPEC_RUN_ID: options.runId,
    SOCKSPEC_OWNER_PID: String(process.pid),
    ...(options.progressFile === undefined
      ? {}
      : { SOCKSPEC_PROGRESS: '1', SOCKSPEC_PROGRESS_FILE: options.progressFile }),
    TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true',
    // Where the command was typed, for the paths the run prints (npx resets INIT_CWD to Jest's folder).
    SOCKSPEC_COMMAND_CWD: process.cwd(),
  };
}
