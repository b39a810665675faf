import type { Target } from '@sockspec/testkit';
import type { CheckReading } from './check-report';

export interface CheckOptions {
  readonly port: number;
  readonly clients: number;
  readonly holdSeconds: number;
  readonly command: readonly string[];
  /** The host folder copied into the target, the command's working folder there. */
  readonly folder: string;
  /** Progress lines (the image, the target, each step). */
  readonly log: (line: string) => void;
}

/** A check that could not be made (the server never listened, no client got through): not a verdict on a leak. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

/** How long the command gets to listen on its port, on a container (a VM target stretches it). */
const LISTEN_WITHIN_MS = 30_000;
/** Each client closes this long after it connected: time for the line and the server's answer. */
const CLIENT_CLOSE_AFTER_SECONDS = 0.5;
/** How many times slower an emulated VM target runs the server (the testkit's time scale for VMs). */
const VM_SLOWNESS = 4;

/**
 * Runs the command in a fresh target with the folder's files, drives `clients` connections that each send a line
 * and close first, waits `holdSeconds`, and reads what the kernel shows. The target is stopped whatever happens;
 * `onTarget` gets it as soon as it exists, so that Ctrl-C can stop it too.
 */
export async function checkServer(
  options: CheckOptions,
  onTarget: (target: Target) => void = () => undefined,
): Promise<CheckReading> {
  const { port, clients, holdSeconds, command, folder, log } = options;
  const [{ startTarget }, { ensureTargetImage }] = await Promise.all([
    import('@sockspec/testkit'),
    import('@sockspec/testkit/runner'),
  ]);
  await ensureTargetImage({ log: (line) => log(`image: ${line}`) });
  const target = await startTarget();
  onTarget(target);
  try {
    const { kernel } = await target.info();
    log(
      `started ${target.name} (Linux ${kernel}); copying ${folder} and running ${command.join(' ')}`,
    );
    const server = await target.run(command, { files: folder });
    await waitForListener(target, server, port, command);
    const countersBefore = await target.counters();
    const client = await target.startClient([
      '127.0.0.1',
      String(port),
      '--count',
      String(clients),
      '--send',
      'sockspec check\n',
      '--close-after',
      // An answer that comes after the close meets a closed socket, which resets: wait as long as the target is slow.
      String(CLIENT_CLOSE_AFTER_SECONDS * (target.kind === 'vm' ? VM_SLOWNESS : 1)),
    ]);
    await client.waitForExit();
    const errors = client.events.filter((event) => event.event === 'error');
    const connected = client.events.filter((event) => event.event === 'connected').length;
    if (connected === 0) {
      throw new CheckFailed(
        `no client connection got through to port ${port} (${errorNames(errors).join(', ') || 'no error reported'}). ` +
          'Hint: the server must accept on 127.0.0.1 (or all addresses) in the target',
      );
    }
    log(`${connected} of ${clients} clients connected and closed; holding ${holdSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, holdSeconds * 1000));
    const [entries, countersAfter] = await Promise.all([target.sockets(), target.counters()]);
    await server.stop();
    return {
      target: target.name,
      kernel,
      command,
      port,
      clients,
      holdSeconds,
      connected,
      clientErrors: errorNames(errors),
      entries,
      countersBefore,
      countersAfter,
    };
  } finally {
    await target.stop();
  }
}

/** Waits until something listens on the port; the command exiting first, or never listening, fails the check. */
async function waitForListener(
  target: Target,
  server: Awaited<ReturnType<Target['run']>>,
  port: number,
  command: readonly string[],
): Promise<void> {
  const scale = target.kind === 'vm' ? VM_SLOWNESS : 1;
  const until = Date.now() + LISTEN_WITHIN_MS * scale;
  for (;;) {
    const wait = await target.tryWait({ state: 'LISTEN', localPort: port }, { timeoutMs: 500 });
    if (wait.satisfied) return;
    await server.refresh();
    const exit = server.exit;
    if (exit !== null) {
      throw new CheckFailed(
        `\`${command.join(' ')}\` exited (${String(exit.code ?? exit.signal)}) before it listened on port ${port}: ` +
          `${server.stderr.trim().split('\n').slice(-5).join('\n') || 'it printed nothing on stderr'}. ` +
          'Hint: run it here first; the target has Node.js, but not your node_modules',
      );
    }
    if (Date.now() > until) {
      throw new CheckFailed(
        `nothing listens on port ${port} ${(LISTEN_WITHIN_MS * scale) / 1000} s after \`${command.join(' ')}\` started. ` +
          'Hint: pass the same port to --port and to the command',
      );
    }
  }
}

/** The errno names of failed connections, each once. */
function errorNames(errors: readonly { readonly [field: string]: unknown }[]): string[] {
  return [...new Set(errors.map((event) => String(event.code ?? 'error')))];
}
