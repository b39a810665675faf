#!/usr/bin/env node
// The target image's base where no registry answers: Debian from its packages (debootstrap's minbase and what the
// targets need), trimmed, and imported into Docker. @sockspec/testkit runs it when it needs that base; by hand, as
// root: node docker/offline-base.mjs [--suite trixie] [--tag sockspec-base:trixie] [--mirror URL]
// Progress goes to stdout; a failure to stderr, naming the command, with a hint where one helps.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { $, ProcessOutput } from 'zx';

/** What the targets need on top of minbase: Node.js (trixie's is 20, the host's major) and the kernel-facing tools. */
const PACKAGES = ['nodejs', 'iproute2', 'procps', 'tcpdump', 'nftables', 'kmod', 'ca-certificates'];

const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: 'trixie' },
    tag: { type: 'string' },
    mirror: { type: 'string', default: 'http://deb.debian.org/debian' },
  },
});
const { suite, mirror } = values;
const tag = values.tag ?? `sockspec-base:${suite}`;
// stdin not inherited: see packages/testkit/src/image/shell.ts.
const sh = $({ quiet: true, stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs a command; a failure throws naming it, its exit code and the last lines it printed. */
async function run(command) {
  try {
    return await command;
  } catch (error) {
    if (!(error instanceof ProcessOutput)) throw error;
    // debootstrap prints its errors on stdout. Four lines, so that with the first they fit the five of its caller.
    const said = (error.stderr.trim() || error.stdout.trim()).split('\n').slice(-4).join('\n');
    throw new Error(`${command.cmd} failed (${error.exitCode ?? error.signal}): ${said}`);
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if (process.getuid?.() !== 0) {
  fail(
    'building the offline base needs root (debootstrap). Hint: run as root, or set SOCKSPEC_BASE_IMAGE',
  );
}
if (!(await sh`command -v debootstrap`.nothrow()).ok) {
  fail('debootstrap is missing. Hint: apt-get install debootstrap (or set SOCKSPEC_BASE_IMAGE)');
}
const dir = await mkdtemp(join(existsSync('/var/tmp') ? '/var/tmp' : tmpdir(), 'sockspec-base-'));
const tree = join(dir, 'rootfs');
try {
  console.log(`debootstrap ${suite} with ${PACKAGES.join(',')} (about a minute) ...`);
  const started = Date.now();
  await run(
    sh`debootstrap --variant=minbase ${`--include=${PACKAGES.join(',')}`} ${suite} ${tree} ${mirror}`,
  );
  // Package caches, lists and documentation: nothing a target reads.
  await run(
    sh`rm -rf ${tree}/var/cache/apt/archives/*.deb ${tree}/var/lib/apt/lists/* ${tree}/usr/share/doc ${tree}/usr/share/man ${tree}/usr/share/locale`,
  );
  console.log(
    `debootstrap took ${((Date.now() - started) / 1000).toFixed(0)} s; importing as ${tag}`,
  );
  await run(
    sh`tar -C ${tree} -c . | docker import --change ${'LABEL sockspec=true'} --change ${'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'} - ${tag}`,
  );
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
