import { isIPv6 } from 'node:net';
import type { ImageServer, RemoteProgram, Target } from '@sockspec/testkit';
import type { CheckedServer, CheckPlan } from './check-args';
import type { CheckReading } from './check-report';
import {
  burstCheck,
  CheckFailed,
  closeWaitCheck,
  LISTEN_WITHIN_MS,
  restartCheck,
  shutdownCheck,
  waitForListener,
} from './check-steps';

export { CheckFailed } from './check-steps';

export interface CheckOptions {
  readonly plan: CheckPlan;
  /** The server's port (the plan's, or the image's one exposed port). */
  readonly port: number;
  /** The signal that stops the server (the plan's, or the image's STOPSIGNAL, else SIGTERM). */
  readonly stopSignal: string;
  /** The host folder copied into the target for a command (with its node_modules), its working folder there. */
  readonly folder: string;
  /** Where the target's timeline record and capture files go. */
  readonly reportDir: string;
  /** Progress lines (the image, the target, each step). */
  readonly log: (line: string) => void;
}

/** How many times slower an emulated VM target runs the server. */
const VM_SLOWNESS = 4;

/** The server in the target: a command's program, or an image's container beside the agent. */
type Running =
  | { readonly kind: 'folder'; readonly program: RemoteProgram }
  | { readonly kind: 'image'; readonly server: ImageServer };

/**
 * Runs the server in a fresh target (its image beside the agent, or its command in a copy of the folder), waits for
 * it to listen, and makes the plan's checks in order. The target, and every server container, is removed whatever
 * happens; `onTarget` gets the target as soon as it exists, so that Ctrl-C can stop it too.
 */
export async function checkServer(
  options: CheckOptions,
  onTarget: (target: Target) => void = () => undefined,
): Promise<CheckReading> {
  const { plan, port, stopSignal, folder, reportDir, log } = options;
  const { host } = plan;
  const [{ startTarget, runImage, FolderTooLarge }, { ensureTargetImage }] = await Promise.all([
    import('@sockspec/testkit'),
    import('@sockspec/testkit/runner'),
  ]);
  await ensureTargetImage({ log: (line) => log(`image: ${line}`) });
  // The shutdown check captures the port (tcpdump needs NET_RAW); the server's container has Docker's defaults.
  // Docker starts a container with IPv6 off, ::1 too: an IPv6 host needs it on in the namespace.
  const target = await startTarget({
    reportDir,
    ...(plan.server.kind === 'image' ? { capabilities: ['NET_RAW'] } : {}),
    ...(isIPv6(host) ? { sysctls: { 'net.ipv6.conf.all.disable_ipv6': 0 } } : {}),
  });
  onTarget(target);
  try {
    const { kernel } = await target.info();
    const described = describe(plan.server);
    log(`started ${target.name} (Linux ${kernel}); running ${described}`);
    let running: Running | undefined =
      plan.server.kind === 'image'
        ? {
            kind: 'image',
            server: await runImage(target, plan.server.image, { args: plan.server.args }),
          }
        : {
            kind: 'folder',
            program: await target
              .run(plan.server.command, { files: folder, nodeModules: true })
              .catch((error: unknown) => {
                if (!(error instanceof FolderTooLarge)) throw error;
                throw new CheckFailed(
                  `${error.message} with its node_modules. Hint: build an image of the server and check it ` +
                    'with --image',
                );
              }),
          };
    await listening(target, running, port, described);
    const reading: { -readonly [K in keyof CheckReading]: CheckReading[K] } = {
      target: target.name,
      kernel,
      server: described,
      host,
      port,
      checks: plan.checks,
      notRun: [],
    };
    for (const check of plan.checks) {
      if (check === 'close-wait') {
        reading.closeWait = await closeWaitCheck(
          target,
          host,
          port,
          plan.clients,
          plan.holdSeconds,
          log,
        );
      } else if (check === 'burst') {
        reading.burst = await burstCheck(target, host, port, plan.burst, log);
      } else if (running?.kind !== 'image') {
        reading.notRun = [
          ...reading.notRun,
          { check, why: 'the server did not listen again after the restart' },
        ];
      } else if (check === 'restart') {
        const restart = await restartCheck(target, running.server, host, port, stopSignal, log);
        reading.restart = restart.reading;
        running = restart.server && { kind: 'image', server: restart.server };
      } else {
        reading.shutdown = await shutdownCheck(target, running.server, host, port, stopSignal, log);
        running = undefined;
      }
    }
    if (running?.kind === 'folder') await running.program.stop();
    return reading;
  } finally {
    await target.stop();
  }
}

function describe(server: CheckedServer): string {
  return server.kind === 'image'
    ? `the image ${server.image}${server.args === undefined ? '' : ` with ${server.args.join(' ')}`}`
    : `\`${server.command.join(' ')}\``;
}

/** Waits until the server listens on its port; its end, or no listener in time, fails the check. */
async function listening(
  target: Target,
  running: Running,
  port: number,
  described: string,
): Promise<void> {
  const withinMs = LISTEN_WITHIN_MS * (target.kind === 'vm' ? VM_SLOWNESS : 1);
  const ended = async (): Promise<boolean> => {
    if (running.kind === 'image') return (await running.server.exit()) !== undefined;
    await running.program.refresh();
    return running.program.exit !== null;
  };
  if ((await waitForListener(target, port, ended, withinMs)) !== undefined) return;
  if (running.kind === 'image') {
    const exit = await running.server.exit();
    const said = lastLines(await running.server.output()) || 'it printed nothing';
    throw new CheckFailed(
      exit === undefined
        ? `nothing listens on port ${port} ${withinMs / 1000} s after ${described} started: ${said}. ` +
            'Hint: pass the port it listens on to --port'
        : `${described} exited (${exit.code}) before it listened on port ${port}: ${said}`,
    );
  }
  const exit = running.program.exit;
  if (exit !== null) {
    const { stderr } = running.program;
    const hint = /Cannot find module/.test(stderr)
      ? "install the server's dependencies here first (npm install): node_modules goes along into the target"
      : 'run it here first; the target has Node.js and your node_modules, nothing else (a server in another ' +
        'language runs with --image)';
    throw new CheckFailed(
      `${described} exited (${String(exit.code ?? exit.signal)}) before it listened on port ${port}: ` +
        `${thrownAndLastLines(stderr) || 'it printed nothing on stderr'}. Hint: ${hint}`,
    );
  }
  throw new CheckFailed(
    `nothing listens on port ${port} ${withinMs / 1000} s after ${described} started. ` +
      'Hint: pass the same port to --port and to the command',
  );
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n');
}

/** The last lines, after the line naming the error thrown (`Error: Cannot find module ...`) when they miss it. */
function thrownAndLastLines(text: string): string {
  const lines = text.trim().split('\n');
  const last = lines.slice(-5);
  const thrown = lines.find((line) => /^\w*Error\b/.test(line));
  return [...(thrown === undefined || last.includes(thrown) ? [] : [thrown, '...']), ...last].join(
    '\n',
  );
}
