import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ensureBaseImage } from './base-image';
import { dockerDir } from './docker-dir';
import { outputOf, shell, succeeds } from './shell';

export const IMAGE_REPOSITORY = 'sockspec-target';
/** The packages that run inside a target, as installed beside this one. */
const PACKAGES = [
  '@sockspec/command-line',
  '@sockspec/sockets',
  '@sockspec/inspector',
  '@sockspec/agent',
];

type Log = (line: string) => void;

/**
 * A package's folder, wherever npm installed it (a workspace link here, node_modules in another project): the
 * nearest folder above its main file whose package.json names it (some packages do not export package.json).
 */
function packageDir(name: string, from?: string): string {
  let dir = dirname(require.resolve(name, from === undefined ? undefined : { paths: [from] }));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = parent;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else found.push(path);
  }
  return found.sort();
}

/** Copies what the image needs, laid out as /opt/sockspec will be: the packages' dist/, koffi and its binary. */
async function stageContext(context: string): Promise<void> {
  const modules = join(context, 'node_modules');
  for (const name of PACKAGES) {
    const source = packageDir(name);
    if (!existsSync(join(source, 'dist', 'index.js'))) {
      throw new Error(`${name} has no dist/ folder. Hint: build it first (npm run build)`);
    }
    const target = join(modules, name);
    await mkdir(target, { recursive: true });
    await cp(join(source, 'package.json'), join(target, 'package.json'));
    await cp(join(source, 'dist'), join(target, 'dist'), {
      recursive: true,
      filter: (path) =>
        !path.endsWith('.map') && !path.endsWith('.d.ts') && !/\.test\.js$/.test(path),
    });
  }
  const koffi = packageDir('koffi', packageDir('@sockspec/sockets'));
  await cp(koffi, join(modules, 'koffi'), { recursive: true });
  const prebuilt = join(dirname(koffi), '@koromix');
  await mkdir(join(modules, '@koromix'), { recursive: true });
  for (const name of existsSync(prebuilt) ? await readdir(prebuilt) : []) {
    if (name.startsWith('koffi-linux-'))
      await cp(join(prebuilt, name), join(modules, '@koromix', name), { recursive: true });
  }
  await cp(join(dockerDir(), 'Dockerfile'), join(context, 'Dockerfile'));
}

/** sha256 over every staged file (path and content) and the base image's ID. */
async function contextHash(context: string, baseId: string): Promise<string> {
  const hash = createHash('sha256').update(baseId);
  for (const file of await filesUnder(context)) {
    hash
      .update(relative(context, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Ensures the target image for the installed packages exists and is tagged `latest`, building it only when its
 * inputs changed; answers its tag. Everything it builds from ships in the packages, so it works in any project.
 */
export async function ensureTargetImage(
  options: { readonly force?: boolean; readonly log?: Log } = {},
): Promise<string> {
  const log = options.log ?? (() => undefined);
  const base = await ensureBaseImage(log);
  const baseId = (await outputOf(shell`docker image inspect --format ${'{{.Id}}'} ${base}`)).trim();
  const context = await mkdtemp(join(tmpdir(), 'sockspec-image-'));
  try {
    await stageContext(context);
    const tag = `${IMAGE_REPOSITORY}:${await contextHash(context, baseId)}`;
    if ((await succeeds(shell`docker image inspect ${tag}`)) && options.force !== true) {
      log(`target image up to date: ${tag}`);
    } else {
      log(`building ${tag} from ${base} ...`);
      const started = Date.now();
      await outputOf(
        shell`docker build --quiet --build-arg ${`BASE=${base}`} --label sockspec=true -t ${tag} ${context}`,
      );
      log(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await outputOf(shell`docker tag ${tag} ${IMAGE_REPOSITORY}:latest`);
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
