#!/usr/bin/env node
// Ensures the base image of the target image exists; prints its name.
import { argv, exit, stderr, stdout } from 'node:process';
import { DEFAULT_SUITE, PUBLIC_BASE, ensureBaseImage } from './base-image.mjs';

const USAGE = `Usage: node docker/build-base.mjs [--offline] [--suite NAME]

Prints the base image the target image is built FROM: SOCKSPEC_BASE_IMAGE if set, else ${PUBLIC_BASE}
if present or pullable, else sockspec-base:<suite> built from Debian packages with debootstrap (needs root).

  --offline      skip the public image: use or build sockspec-base:<suite>
  --suite NAME   Debian suite of the offline base (default ${DEFAULT_SUITE})
  --help         show this text
`;

const args = argv.slice(2);
if (args.includes('--help')) {
  stdout.write(USAGE);
  exit(0);
}
let offline = false;
let suite = DEFAULT_SUITE;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--offline') offline = true;
  else if (args[i] === '--suite' && args[i + 1] !== undefined) suite = args[++i];
  else {
    stderr.write(`build-base: unknown option '${args[i]}'\n\n${USAGE}`);
    exit(2);
  }
}
try {
  stdout.write(
    `${await ensureBaseImage({ offline, suite, log: (line) => stderr.write(`[base] ${line}\n`) })}\n`,
  );
} catch (error) {
  stderr.write(`build-base: ${error.message}\n`);
  exit(1);
}
