/** What a daemon's configuration reader answers: its settings, or the mistake in the environment. */
export type DaemonConfig<C> = { ok: true; config: C } | { ok: false; error: string };

/** A started daemon: what it prints once it listens, and how it stops. */
export interface RunningDaemon {
  readonly listening: Readonly<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * The life of a daemon's process: --help prints its usage; a bad environment exits 2 with the usage; once started
 * it prints one JSON line saying it listens, and it stops cleanly on SIGTERM or SIGINT (as PID 1 in a container,
 * node has no default handler for them); a failure to start exits 1 with the reason.
 */
export function runDaemon<C>(
  name: string,
  usage: string,
  readConfig: () => DaemonConfig<C>,
  start: (config: C) => Promise<RunningDaemon>,
): void {
  const main = async (): Promise<void> => {
    if (process.argv.includes('--help') || process.argv.includes('-h')) {
      process.stdout.write(usage);
      return;
    }
    const parsed = readConfig();
    if (!parsed.ok) {
      process.stderr.write(`${name}: ${parsed.error}\n\n${usage}`);
      process.exit(2);
    }
    const daemon = await start(parsed.config);
    console.log(JSON.stringify(daemon.listening));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void daemon.stop().then(() => process.exit(0));
      });
    }
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
