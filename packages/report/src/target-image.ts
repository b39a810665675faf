import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@sockspec/testkit';

/**
 * Builds the target image if its inputs changed (docker/build-image.mjs, its output shown); answers the exit
 * code, 0 when the image is ready.
 */
export function buildTargetImage(): number {
  const build = spawnSync(process.execPath, [join(repoRoot(), 'docker', 'build-image.mjs')], {
    stdio: 'inherit',
  });
  return build.status ?? 1;
}
