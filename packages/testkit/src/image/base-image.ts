import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { testkitConfig } from '../testkit-config';
import { dockerDir } from './docker-dir';
import { outputOf, shell, succeeds } from './shell';

export const PUBLIC_BASE = 'node:20-bookworm-slim';
/** Debian suite of the offline base: trixie's nodejs is 20, the host's major. */
export const OFFLINE_SUITE = 'trixie';

type Log = (line: string) => void;

async function imageExists(name: string): Promise<boolean> {
  return succeeds(shell`docker image inspect ${name}`);
}

async function tryPull(name: string, log: Log): Promise<boolean> {
  log(`pulling ${name} ...`);
  try {
    await outputOf(shell({ timeout: 60_000 })`docker pull ${name}`);
    return true;
  } catch (error) {
    log(`cannot pull ${name}: ${(error as Error).message.split('\n').pop() ?? 'no answer'}`);
    return false;
  }
}

/**
 * Builds `sockspec-base:<suite>` from Debian packages with docker/offline-base.mjs (debootstrap, then docker
 * import); its progress lines go to `log`.
 */
async function buildOfflineBase(suite: string, log: Log): Promise<string> {
  const name = `sockspec-base:${suite}`;
  const recipe = join(dockerDir(), 'offline-base.mjs');
  const build = shell`${process.execPath} ${recipe} --suite ${suite} --tag ${name} --mirror ${testkitConfig().debianMirror}`;
  createInterface({ input: build.stdout }).on('line', log);
  await outputOf(build);
  return name;
}

/**
 * The base the target image builds FROM: SOCKSPEC_BASE_IMAGE if set; else the public Node.js image if it is here or
 * can be pulled; else `sockspec-base:<suite>`, built once from Debian packages and kept.
 */
export async function ensureBaseImage(log: Log = () => undefined): Promise<string> {
  const chosen = testkitConfig().baseImage;
  if (chosen !== undefined) {
    if (!(await imageExists(chosen)) && !(await tryPull(chosen, log))) {
      throw new Error(`SOCKSPEC_BASE_IMAGE=${chosen} is neither here nor pullable`);
    }
    return chosen;
  }
  const offline = `sockspec-base:${OFFLINE_SUITE}`;
  if (await imageExists(PUBLIC_BASE)) return PUBLIC_BASE;
  if (await imageExists(offline)) return offline;
  if (await tryPull(PUBLIC_BASE, log)) return PUBLIC_BASE;
  log('no registry answered: building the base from Debian packages (docker/offline-base.mjs)');
  return buildOfflineBase(OFFLINE_SUITE, log);
}
