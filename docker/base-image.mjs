// Which base image the target image builds FROM, making one from Debian packages when no registry answers.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';

export const PUBLIC_BASE = 'node:20-bookworm-slim';
/** Debian suite of the offline base: trixie's nodejs is 20, the host's major. */
export const DEFAULT_SUITE = 'trixie';
/** What the targets need, on top of debootstrap's minbase. */
export const BASE_PACKAGES = [
  'nodejs',
  'iproute2',
  'procps',
  'tcpdump',
  'nftables',
  'kmod',
  'ca-certificates',
];
const MIRROR = process.env.SOCKSPEC_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

async function imageExists(name) {
  return (await $`docker image inspect ${name}`.quiet().nothrow()).exitCode === 0;
}

async function tryPull(name, log) {
  log(`pulling ${name} ...`);
  const pulled = await $`docker pull ${name}`.quiet().nothrow().timeout('60s');
  if (pulled.exitCode !== 0)
    log(`cannot pull ${name}: ${pulled.stderr.trim().split('\n').pop() ?? 'no answer'}`);
  return pulled.exitCode === 0;
}

/** Builds `sockspec-base:<suite>` from Debian packages: debootstrap into a temporary tree, then docker import. */
export async function buildOfflineBase({ suite = DEFAULT_SUITE, log }) {
  const name = `sockspec-base:${suite}`;
  if ((await $`id -u`.quiet()).stdout.trim() !== '0') {
    throw new Error(
      'building the offline base needs root (debootstrap). Run as root, or set SOCKSPEC_BASE_IMAGE',
    );
  }
  if ((await $`command -v debootstrap`.quiet().nothrow()).exitCode !== 0) {
    throw new Error(
      'debootstrap is missing. Hint: apt-get install debootstrap (or set SOCKSPEC_BASE_IMAGE)',
    );
  }
  const dir = await mkdtemp(join(existsSync('/var/tmp') ? '/var/tmp' : tmpdir(), 'sockspec-base-'));
  const tree = join(dir, 'rootfs');
  try {
    log(`debootstrap ${suite} with ${BASE_PACKAGES.join(',')} (about a minute) ...`);
    const started = Date.now();
    await $`debootstrap --variant=minbase --include=${BASE_PACKAGES.join(',')} ${suite} ${tree} ${MIRROR}`.quiet();
    await $`rm -rf ${tree}/var/cache/apt/archives/*.deb ${tree}/var/lib/apt/lists/* ${tree}/usr/share/doc ${tree}/usr/share/man ${tree}/usr/share/locale`;
    log(`debootstrap took ${((Date.now() - started) / 1000).toFixed(0)} s; importing as ${name}`);
    await $`tar -C ${tree} -c . | docker import --change ${'LABEL sockspec=true'} --change ${'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'} - ${name}`.quiet();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return name;
}

/**
 * The base to build FROM: SOCKSPEC_BASE_IMAGE if set; else the public Node.js image if it is here or can be
 * pulled; else `sockspec-base:<suite>`, built once from Debian packages and kept.
 */
export async function ensureBaseImage({
  log = () => undefined,
  offline = false,
  suite = DEFAULT_SUITE,
} = {}) {
  const chosen = process.env.SOCKSPEC_BASE_IMAGE;
  if (chosen !== undefined && chosen !== '') {
    if (!(await imageExists(chosen)) && !(await tryPull(chosen, log))) {
      throw new Error(`SOCKSPEC_BASE_IMAGE=${chosen} is neither present nor pullable`);
    }
    return chosen;
  }
  const offlineName = `sockspec-base:${suite}`;
  if (!offline) {
    if (await imageExists(PUBLIC_BASE)) return PUBLIC_BASE;
    if (await imageExists(offlineName)) return offlineName;
    if (await tryPull(PUBLIC_BASE, log)) return PUBLIC_BASE;
  } else if (await imageExists(offlineName)) {
    return offlineName;
  }
  log('no registry answered: building the base from Debian packages');
  return buildOfflineBase({ suite, log });
}
