import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testkitConfig } from '../testkit-config';
import { pipeCommands, runCommand, succeeds } from './run-command';

export const PUBLIC_BASE = 'node:20-bookworm-slim';
/** Debian suite of the offline base: trixie's nodejs is 20, the host's major. */
export const OFFLINE_SUITE = 'trixie';
/** What the targets need, on top of debootstrap's minbase. */
const BASE_PACKAGES = [
  'nodejs',
  'iproute2',
  'procps',
  'tcpdump',
  'nftables',
  'kmod',
  'ca-certificates',
];

type Log = (line: string) => void;

async function imageExists(name: string): Promise<boolean> {
  return succeeds('docker', ['image', 'inspect', name]);
}

async function tryPull(name: string, log: Log): Promise<boolean> {
  log(`pulling ${name} ...`);
  try {
    await runCommand('docker', ['pull', name], { timeoutMs: 60_000 });
    return true;
  } catch (error) {
    log(`cannot pull ${name}: ${(error as Error).message.split('\n').pop() ?? 'no answer'}`);
    return false;
  }
}

/** Builds `sockspec-base:<suite>` from Debian packages: debootstrap into a temporary tree, then docker import. */
async function buildOfflineBase(suite: string, log: Log): Promise<string> {
  const name = `sockspec-base:${suite}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'building the offline base needs root (debootstrap). Hint: run as root, or set SOCKSPEC_BASE_IMAGE',
    );
  }
  if (!(await succeeds('sh', ['-c', 'command -v debootstrap']))) {
    throw new Error(
      'debootstrap is missing. Hint: apt-get install debootstrap (or set SOCKSPEC_BASE_IMAGE)',
    );
  }
  const dir = await mkdtemp(join(existsSync('/var/tmp') ? '/var/tmp' : tmpdir(), 'sockspec-base-'));
  const tree = join(dir, 'rootfs');
  try {
    log(`debootstrap ${suite} with ${BASE_PACKAGES.join(',')} (about a minute) ...`);
    const started = Date.now();
    await runCommand('debootstrap', [
      '--variant=minbase',
      `--include=${BASE_PACKAGES.join(',')}`,
      suite,
      tree,
      testkitConfig().debianMirror,
    ]);
    await runCommand('sh', [
      '-c',
      `rm -rf ${tree}/var/cache/apt/archives/*.deb ${tree}/var/lib/apt/lists/* ${tree}/usr/share/doc ${tree}/usr/share/man ${tree}/usr/share/locale`,
    ]);
    log(`debootstrap took ${((Date.now() - started) / 1000).toFixed(0)} s; importing as ${name}`);
    await pipeCommands(
      ['tar', '-C', tree, '-c', '.'],
      [
        'docker',
        'import',
        '--change',
        'LABEL sockspec=true',
        '--change',
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        '-',
        name,
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  log('no registry answered: building the base from Debian packages');
  return buildOfflineBase(OFFLINE_SUITE, log);
}
