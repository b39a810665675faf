import { ContainerTarget } from './container-target';
import type { ImageServer, ImageServerOptions } from './image-server';
import type { Target } from './target';

/**
 * Runs a Docker image as a server beside the target's agent, in its network namespace: `runImage(target, 'nginx')`.
 * Only a container target can: a VM target's kernel runs no Docker containers.
 */
export function runImage(
  target: Target,
  image: string,
  options: ImageServerOptions = {},
): Promise<ImageServer> {
  if (!(target instanceof ContainerTarget)) {
    return Promise.reject(
      new Error(
        `${target.name} cannot run the image ${image}: a server image runs in a container target's network ` +
          'namespace, and a VM kernel runs no Docker containers. Hint: unset SOCKSPEC_TARGET for a container target',
      ),
    );
  }
  return target.runImage(image, options);
}
