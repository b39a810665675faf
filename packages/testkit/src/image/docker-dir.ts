import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The package's root, from src/image or dist/image alike. */
const PACKAGE_ROOT = join(__dirname, '..', '..');

/**
 * The folder with the target image's Dockerfile and its offline base's recipe: the copy packed into this package
 * (installed from a tarball), else docker/ at the repository's root (this package in its workspace).
 */
export function dockerDir(): string {
  const candidates = [join(PACKAGE_ROOT, 'docker'), join(PACKAGE_ROOT, '..', '..', 'docker')];
  const found = candidates.find((dir) => existsSync(join(dir, 'Dockerfile')));
  if (found === undefined) {
    throw new Error(`no Dockerfile in ${candidates.join(' or ')}: the testkit is incomplete`);
  }
  return found;
}
