import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '@sockspec/records';
import { testkitConfig } from '../testkit-config';
import { outputOf, shell } from '../image/shell';
import { VM_INIT } from './vm-init';

/** Kernel series to the Debian suite whose cloud kernel has it. */
export const KERNEL_SUITES: Readonly<Record<string, string>> = {
  '5.10': 'bullseye',
  '6.1': 'bookworm',
  '6.12': 'trixie',
  '7.2': 'forky',
};
/** Modules the init loads: the virtio network qemu provides, nftables for dropping segments, veth and bridges. */
const MODULE_PATHS = [
  'kernel/drivers/virtio',
  'kernel/drivers/net',
  'kernel/net',
  'kernel/lib',
  'kernel/crypto',
  'kernel/arch/x86/crypto',
];

type Log = (line: string) => void;

export interface Kernel {
  readonly series: string;
  readonly version: string;
  readonly vmlinuz: string;
  readonly modules: string;
}

export interface VmArtifacts {
  readonly series: string;
  readonly version: string;
  readonly vmlinuz: string;
  readonly initrd: string;
}

/** Where kernels and initramfs files are kept (and the VM pid records, vm-pid-record.ts): .cache/vm at the project's root. */
export function vmCacheDir(): string {
  return join(projectRoot(), '.cache', 'vm');
}

/**
 * The kernel and initramfs a VM of this series boots, fetched and built once and kept in .cache/vm. `log` gets
 * progress lines (a first download, an initramfs build).
 */
export async function prepareVmArtifacts(
  series: string,
  image: string,
  log: Log = () => undefined,
): Promise<VmArtifacts> {
  const say = (line: string): void => log(`[vm] ${line}\n`);
  const kernel = await ensureKernel(series, say);
  const initrd = await ensureInitramfs(kernel, image, VM_INIT, say);
  return { series, version: kernel.version, vmlinuz: kernel.vmlinuz, initrd };
}

/** The names of a series' cloud kernel packages across Debian's two naming schemes. */
export function kernelPackagePattern(series: string): RegExp {
  const escaped = series.replace('.', '\\.');
  return new RegExp(
    `^linux-image-${escaped}\\.[0-9]+(-[0-9]+|\\+deb[0-9]+)-cloud-amd64(-unsigned)?$`,
  );
}

/** apt pointed at one suite, with its own lists and cache under .cache/vm/apt-<suite>: the host's apt is untouched. */
async function aptFor(suite: string): Promise<string[]> {
  const dir = join(vmCacheDir(), `apt-${suite}`);
  await mkdir(join(dir, 'lists', 'partial'), { recursive: true });
  await mkdir(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  const sources = join(dir, 'sources.list');
  await writeFile(
    sources,
    `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${testkitConfig().debianMirror} ${suite} main\n`,
  );
  return [
    '-o',
    `Dir::Etc::SourceList=${sources}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(dir, 'lists')}`,
    '-o',
    `Dir::Cache=${join(dir, 'cache')}`,
    '-o',
    'APT::Sandbox::User=root',
  ];
}

/** Downloads (once) and unpacks the newest cloud kernel of a series; answers its version and files. */
export async function ensureKernel(series: string, log: Log = () => undefined): Promise<Kernel> {
  const suite = KERNEL_SUITES[series];
  if (suite === undefined) {
    throw new Error(`no kernel series ${series}; known: ${Object.keys(KERNEL_SUITES).join(', ')}`);
  }
  const root = join(vmCacheDir(), `kernel-${series}`);
  const unpacked = join(root, 'unpacked');
  if (!existsSync(join(root, 'kernel.json'))) {
    const apt = await aptFor(suite);
    log(`apt update for ${suite}`);
    await outputOf(shell`apt-get ${apt} update`);
    const names = (await outputOf(shell`apt-cache ${apt} pkgnames linux-image-`))
      .split('\n')
      // bookworm and older: linux-image-6.1.0-50-cloud-amd64[-unsigned]; trixie on: linux-image-6.12.117+deb13-cloud-amd64
      .filter((name) => kernelPackagePattern(series).test(name))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const name = names.pop();
    if (name === undefined)
      throw new Error(`no linux-image-${series}*-cloud-amd64 package in ${suite}`);
    // From forky on the image package only depends on linux-binary-* (the kernel) and linux-modules-*.
    const depends =
      (await outputOf(shell`apt-cache ${apt} show ${name}`))
        .split('\n')
        .find((line) => line.startsWith('Depends:')) ?? '';
    const parts = [...depends.matchAll(/\b(linux-(?:binary|modules)-[^\s,(]+)/g)].map(
      (match) => match[1] as string,
    );
    log(`downloading ${[name, ...parts].join(', ')}`);
    await rm(root, { recursive: true, force: true });
    await mkdir(unpacked, { recursive: true });
    await outputOf(shell({ cwd: root })`apt-get ${apt} download ${name} ${parts}`);
    for (const deb of (await readdir(root)).filter((file) => file.endsWith('.deb'))) {
      await outputOf(shell`dpkg-deb -x ${join(root, deb)} ${unpacked}`);
      await rm(join(root, deb));
    }
    // Modules live in lib/modules, or in usr/lib/modules from trixie on.
    const modulesRoot = ['lib/modules', 'usr/lib/modules']
      .map((dir) => join(unpacked, dir))
      .find((dir) => existsSync(dir));
    if (modulesRoot === undefined) throw new Error(`${name} has no modules folder`);
    const version = (await readdir(modulesRoot))[0] ?? '';
    // boot/vmlinuz-VERSION, or from forky on the kernel package's usr/lib/modules/VERSION/vmlinuz.
    const vmlinuz = [
      join(unpacked, 'boot', `vmlinuz-${version}`),
      join(modulesRoot, version, 'vmlinuz'),
    ].find((path) => existsSync(path));
    if (vmlinuz === undefined) throw new Error(`${name} has no vmlinuz for ${version}`);
    await writeFile(
      join(root, 'kernel.json'),
      JSON.stringify({ version, vmlinuz, modules: join(modulesRoot, version) }),
    );
  }
  const { version, vmlinuz, modules } = JSON.parse(
    await readFile(join(root, 'kernel.json'), 'utf8'),
  ) as Kernel;
  return { series, version, vmlinuz, modules };
}

/**
 * Builds (once per image, kernel and init) the initramfs: the image's files, the kernel's modules, and `init` as
 * its first process.
 */
export async function ensureInitramfs(
  kernel: Kernel,
  image: string,
  init: string,
  log: Log = () => undefined,
): Promise<string> {
  const imageId = (
    await outputOf(shell`docker image inspect --format ${'{{.Id}}'} ${image}`)
  ).trim();
  const key = createHash('sha256')
    .update(imageId)
    .update(kernel.version)
    .update(init)
    .digest('hex')
    .slice(0, 12);
  const initrd = join(vmCacheDir(), `initrd-${key}.cpio`);
  if (existsSync(initrd)) return initrd;
  log(`building the initramfs for ${kernel.version} from ${image}`);
  const tree = join(vmCacheDir(), `tree-${key}`);
  await rm(tree, { recursive: true, force: true });
  await mkdir(tree, { recursive: true });
  const container = (
    await outputOf(
      shell`docker create --label sockspec=true --label ${`sockspec.run=vm-artifacts-${process.pid}`} --label ${`sockspec.owner-pid=${process.pid}`} ${image}`,
    )
  ).trim();
  try {
    await outputOf(shell`docker export ${container} | tar -C ${tree} -x`);
  } finally {
    await outputOf(shell`docker rm ${container}`);
  }
  const modules = join(tree, 'lib', 'modules', kernel.version);
  await mkdir(modules, { recursive: true });
  for (const file of ['modules.order', 'modules.builtin', 'modules.builtin.modinfo']) {
    // Packages from forky on ship the modules without these; depmod manages without them.
    if (existsSync(join(kernel.modules, file)))
      await outputOf(shell`cp ${join(kernel.modules, file)} ${modules}/`);
  }
  for (const path of MODULE_PATHS) {
    if (existsSync(join(kernel.modules, path))) {
      await outputOf(shell({ cwd: kernel.modules })`cp --parents -r ${path} ${modules}/`);
    }
  }
  await outputOf(shell`/sbin/depmod -b ${tree} ${kernel.version}`);
  await writeFile(join(tree, 'init'), init);
  await chmod(join(tree, 'init'), 0o755);
  await outputOf(shell({ cwd: tree })`find . | cpio -o -H newc --quiet > ${`${initrd}.partial`}`);
  await rename(`${initrd}.partial`, initrd);
  await rm(tree, { recursive: true, force: true });
  return initrd;
}
