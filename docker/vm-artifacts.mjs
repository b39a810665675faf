#!/usr/bin/env node
// What a VM target boots: a Debian cloud kernel (by package name from Debian's archive, cached) and an initramfs
// made from the target image with that kernel's network and netfilter modules and an init that starts the agent.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { argv, exit, stderr, stdout } from 'node:process';
import { $ } from 'zx';
import { repoRoot } from './repo-root.mjs';

/** Kernel series to the Debian suite whose cloud kernel has it. */
export const KERNEL_SUITES = { '5.10': 'bullseye', '6.1': 'bookworm', '6.12': 'trixie', '7.2': 'forky' };
const MIRROR = process.env.SOCKSPEC_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const CACHE = join(repoRoot, '.cache', 'vm');
/** Modules the init loads: the virtio network qemu provides, and nftables for dropping segments. */
const MODULE_PATHS = ['kernel/drivers/virtio', 'kernel/drivers/net', 'kernel/net', 'kernel/lib', 'kernel/crypto', 'kernel/arch/x86/crypto'];

const INIT = `#!/bin/sh
# sockspec VM init: mount the kernel's filesystems, bring up qemu's user network, start the agent.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp /run && mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs /run
for module in virtio_pci virtio_net nf_tables; do modprobe "$module" 2>/dev/null; done
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
for word in $(cat /proc/cmdline); do
  case "$word" in sockspec.token=*) export SOCKSPEC_AGENT_TOKEN="\${word#sockspec.token=}" ;; esac
done
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
node /opt/sockspec/node_modules/@sockspec/agent/dist/agent-main.js
echo o > /proc/sysrq-trigger
`;

/** The names of a series' cloud kernel packages across Debian's two naming schemes. */
export function kernelPackagePattern(series) {
  const escaped = series.replace('.', '\\.');
  return new RegExp(`^linux-image-${escaped}\\.[0-9]+(-[0-9]+|\\+deb[0-9]+)-cloud-amd64(-unsigned)?$`);
}

/** apt pointed at one suite, with its own lists and cache under .cache/vm/apt-<suite>: the host's apt is untouched. */
async function aptFor(suite) {
  const dir = join(CACHE, `apt-${suite}`);
  await mkdir(join(dir, 'lists', 'partial'), { recursive: true });
  await mkdir(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  const sources = join(dir, 'sources.list');
  await writeFile(sources, `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} ${suite} main\n`);
  const options = [
    '-o', `Dir::Etc::SourceList=${sources}`, '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${join(dir, 'lists')}`, '-o', `Dir::Cache=${join(dir, 'cache')}`,
    '-o', 'APT::Sandbox::User=root',
  ];
  return { dir, options };
}

/** Downloads (once) and unpacks the newest cloud kernel of a series; returns its version and folder. */
export async function ensureKernel(series, log = () => undefined) {
  const suite = KERNEL_SUITES[series];
  if (suite === undefined) throw new Error(`no kernel series ${series}; known: ${Object.keys(KERNEL_SUITES).join(', ')}`);
  const root = join(CACHE, `kernel-${series}`);
  const unpacked = join(root, 'unpacked');
  if (!existsSync(join(root, 'kernel.json'))) {
    const apt = await aptFor(suite);
    log(`apt update for ${suite}`);
    await $`apt-get ${apt.options} update`.quiet();
    const names = (await $`apt-cache ${apt.options} pkgnames linux-image-`.quiet()).stdout
      .split('\n')
      // bookworm and older: linux-image-6.1.0-50-cloud-amd64[-unsigned]; trixie on: linux-image-6.12.117+deb13-cloud-amd64
      .filter((name) => kernelPackagePattern(series).test(name))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const name = names.pop();
    if (name === undefined) throw new Error(`no linux-image-${series}*-cloud-amd64 package in ${suite}`);
    // From forky on the image package only depends on linux-binary-* (the kernel) and linux-modules-*.
    const depends = (await $`apt-cache ${apt.options} show ${name}`.quiet()).stdout
      .split('\n')
      .find((line) => line.startsWith('Depends:')) ?? '';
    const parts = [...depends.matchAll(/\b(linux-(?:binary|modules)-[^\s,(]+)/g)].map((match) => match[1]);
    log(`downloading ${[name, ...parts].join(', ')}`);
    await rm(root, { recursive: true, force: true });
    await mkdir(unpacked, { recursive: true });
    await $({ cwd: root })`apt-get ${apt.options} download ${name} ${parts}`.quiet();
    for (const deb of (await readdir(root)).filter((file) => file.endsWith('.deb'))) {
      await $`dpkg-deb -x ${join(root, deb)} ${unpacked}`;
      await rm(join(root, deb));
    }
    // Modules live in lib/modules, or in usr/lib/modules from trixie on.
    const modulesRoot = ['lib/modules', 'usr/lib/modules'].map((dir) => join(unpacked, dir)).find((dir) => existsSync(dir));
    if (modulesRoot === undefined) throw new Error(`${name} has no modules folder`);
    const version = (await readdir(modulesRoot))[0];
    // boot/vmlinuz-VERSION, or from forky on the kernel package's usr/lib/modules/VERSION/vmlinuz.
    const vmlinuz = [join(unpacked, 'boot', `vmlinuz-${version}`), join(modulesRoot, version, 'vmlinuz')].find((path) =>
      existsSync(path),
    );
    if (vmlinuz === undefined) throw new Error(`${name} has no vmlinuz for ${version}`);
    await writeFile(join(root, 'kernel.json'), JSON.stringify({ version, vmlinuz, modules: join(modulesRoot, version) }));
    await writeFile(join(root, 'version'), version);
  }
  const { version, vmlinuz, modules } = JSON.parse((await $`cat ${join(root, 'kernel.json')}`.quiet()).stdout);
  return { series, version, vmlinuz, modules };
}

/** Builds (once per image and kernel) the initramfs: the image's files, the kernel's modules, the init. */
export async function ensureInitramfs(kernel, image = 'sockspec-target:latest', log = () => undefined) {
  const imageId = (await $`docker image inspect --format {{.Id}} ${image}`.quiet()).stdout.trim();
  const key = createHash('sha256').update(imageId).update(kernel.version).update(INIT).digest('hex').slice(0, 12);
  const initrd = join(CACHE, `initrd-${key}.cpio`);
  if (existsSync(initrd)) return initrd;
  log(`building the initramfs for ${kernel.version} from ${image}`);
  const tree = join(CACHE, `tree-${key}`);
  await rm(tree, { recursive: true, force: true });
  await mkdir(tree, { recursive: true });
  const container = (await $`docker create --label sockspec=true --label sockspec.run=vm-artifacts-${process.pid} --label sockspec.owner-pid=${process.pid} ${image}`.quiet()).stdout.trim();
  try {
    await $`docker export ${container} | tar -C ${tree} -x`;
  } finally {
    await $`docker rm ${container}`.quiet();
  }
  const modules = join(tree, 'lib', 'modules', kernel.version);
  await mkdir(modules, { recursive: true });
  for (const file of ['modules.order', 'modules.builtin', 'modules.builtin.modinfo']) {
    // Packages from forky on ship the modules without these; depmod manages without them.
    if (existsSync(join(kernel.modules, file))) await $`cp ${join(kernel.modules, file)} ${modules}/`;
  }
  for (const path of MODULE_PATHS) {
    if (existsSync(join(kernel.modules, path))) await $({ cwd: kernel.modules })`cp --parents -r ${path} ${modules}/`;
  }
  await $`/sbin/depmod -b ${tree} ${kernel.version}`;
  await writeFile(join(tree, 'init'), INIT);
  await chmod(join(tree, 'init'), 0o755);
  await $({ cwd: tree })`find . | cpio -o -H newc --quiet > ${initrd}.partial`;
  await $`mv ${initrd}.partial ${initrd}`;
  await rm(tree, { recursive: true, force: true });
  return initrd;
}

const USAGE = `Usage: node docker/vm-artifacts.mjs --kernel SERIES [--image NAME]

Prints, as JSON, the kernel and initramfs a VM target boots, building what is missing (cached in .cache/vm):
the newest Debian cloud kernel of SERIES (${Object.keys(KERNEL_SUITES).join(', ')}) and an initramfs made from the
target image (default sockspec-target:latest). Needs root, apt-get, dpkg-deb, cpio and kmod's depmod.
`;

if (import.meta.url === `file://${argv[1]}`) {
  const args = argv.slice(2);
  const at = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const series = at('--kernel');
  if (args.includes('--help')) {
    stdout.write(USAGE);
  } else if (series === undefined) {
    stderr.write(`vm-artifacts: --kernel is required\n\n${USAGE}`);
    exit(2);
  } else {
    try {
      const log = (line) => stderr.write(`[vm] ${line}\n`);
      const kernel = await ensureKernel(series, log);
      const initrd = await ensureInitramfs(kernel, at('--image') ?? 'sockspec-target:latest', log);
      stdout.write(`${JSON.stringify({ series, version: kernel.version, vmlinuz: kernel.vmlinuz, initrd })}\n`);
    } catch (error) {
      stderr.write(`vm-artifacts: ${error.message}\n`);
      exit(1);
    }
  }
}
