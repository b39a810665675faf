#!/usr/bin/env node
// Builds the target image from the packages' dist/ folders, only when its inputs changed; prints its tag last.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { argv, exit, stderr, stdout } from 'node:process';
import { $ } from 'zx';
import { ensureBaseImage } from './base-image.mjs';
import { repoRoot } from './repo-root.mjs';

export const IMAGE_REPOSITORY = 'sockspec-target';
/** The packages that run inside a target. */
const PACKAGES = ['sockets', 'inspector', 'agent'];
const CONTEXT = join(repoRoot, '.cache', 'image-context');

async function filesUnder(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else found.push(path);
  }
  return found.sort();
}

/** Copies what the image needs into .cache/image-context, laid out as /opt/sockspec will be. */
async function stageContext() {
  await rm(CONTEXT, { recursive: true, force: true });
  const modules = join(CONTEXT, 'node_modules');
  for (const name of PACKAGES) {
    const source = join(repoRoot, 'packages', name);
    if (!existsSync(join(source, 'dist', 'index.js'))) {
      throw new Error(`packages/${name}/dist is missing: run \`npm run build\` first`);
    }
    const target = join(modules, '@sockspec', name);
    await mkdir(target, { recursive: true });
    await cp(join(source, 'package.json'), join(target, 'package.json'));
    await cp(join(source, 'dist'), join(target, 'dist'), {
      recursive: true,
      filter: (path) =>
        !path.endsWith('.map') && !path.endsWith('.d.ts') && !/\.test\.js$/.test(path),
    });
  }
  const koffi = join(repoRoot, 'node_modules', 'koffi');
  if (!existsSync(koffi)) throw new Error('node_modules/koffi is missing: run `npm ci` first');
  await cp(koffi, join(modules, 'koffi'), { recursive: true });
  const prebuilt = join(repoRoot, 'node_modules', '@koromix');
  await mkdir(join(modules, '@koromix'), { recursive: true });
  for (const name of existsSync(prebuilt) ? await readdir(prebuilt) : []) {
    if (name.startsWith('koffi-linux-'))
      await cp(join(prebuilt, name), join(modules, '@koromix', name), { recursive: true });
  }
  await cp(join(repoRoot, 'docker', 'Dockerfile'), join(CONTEXT, 'Dockerfile'));
}

/** sha256 over every staged file (path and content) and the base image's ID. */
async function contextHash(baseId) {
  const hash = createHash('sha256').update(baseId);
  for (const file of await filesUnder(CONTEXT)) {
    hash
      .update(relative(CONTEXT, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** Ensures the target image for the current dist/ folders exists and is tagged `latest`; returns its tag. */
export async function ensureTargetImage({ force = false, log = () => undefined } = {}) {
  const base = await ensureBaseImage({ log });
  const baseId = (await $`docker image inspect --format {{.Id}} ${base}`.quiet()).stdout.trim();
  await stageContext();
  const tag = `${IMAGE_REPOSITORY}:${await contextHash(baseId)}`;
  const exists = (await $`docker image inspect ${tag}`.quiet().nothrow()).exitCode === 0;
  if (exists && !force) {
    log(`target image up to date: ${tag}`);
  } else {
    log(`building ${tag} from ${base} ...`);
    const started = Date.now();
    await $`docker build --quiet --build-arg BASE=${base} --label sockspec=true -t ${tag} ${CONTEXT}`.quiet();
    log(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await $`docker tag ${tag} ${IMAGE_REPOSITORY}:latest`.quiet();
  return tag;
}

const USAGE = `Usage: node docker/build-image.mjs [--force] [--quiet]

Builds the sockspec target image from packages/{sockets,inspector,agent}/dist (run \`npm run build\` first),
tags it ${IMAGE_REPOSITORY}:<hash of its inputs> and ${IMAGE_REPOSITORY}:latest, and prints the tag.
Nothing is built when an image with the same inputs exists.

  --force   build even if the image exists
  --quiet   no progress lines
  --help    show this text
`;

if (import.meta.url === `file://${argv[1]}`) {
  const args = argv.slice(2);
  const unknown = args.find((arg) => !['--force', '--quiet', '--help'].includes(arg));
  if (args.includes('--help')) {
    stdout.write(USAGE);
  } else if (unknown !== undefined) {
    stderr.write(`build-image: unknown option '${unknown}'\n\n${USAGE}`);
    exit(2);
  } else {
    const quiet = args.includes('--quiet');
    try {
      const tag = await ensureTargetImage({
        force: args.includes('--force'),
        log: (line) => {
          if (!quiet) stderr.write(`[image] ${line}\n`);
        },
      });
      stdout.write(`${tag}\n`);
    } catch (error) {
      stderr.write(`build-image: ${error.message}\n`);
      exit(1);
    }
  }
}
