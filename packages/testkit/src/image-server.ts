import Docker from 'dockerode';
import { dockerLogText } from './docker-log';
import { runLabels } from './labels';
import { testkitConfig } from './testkit-config';

/** How often a wait for the server's exit asks Docker. */
const EXIT_POLL_MS = 50;

/** What an image says about how it runs: its stop signal and the TCP ports it exposes. */
export interface ImageFacts {
  /** The image's STOPSIGNAL, else SIGTERM (Docker's default). */
  readonly stopSignal: string;
  readonly tcpPorts: readonly number[];
}

export interface ImageServerOptions {
  /** Arguments in place of the image's CMD, as after `docker run IMAGE`; default: the image's own. */
  readonly args?: readonly string[];
}

/** How a server's container ended: its exit code, and when Docker saw it end (epoch ms, Docker's clock). */
export interface ImageServerExit {
  readonly code: number;
  readonly finishedAt: number;
}

/** The stop signal and exposed ports of an image that is here; a missing image is an error that says so. */
export async function imageFacts(image: string): Promise<ImageFacts> {
  let inspected: Docker.ImageInspectInfo;
  try {
    inspected = await new Docker().getImage(image).inspect();
  } catch (error) {
    throw new Error(
      `no image ${image} here (${(error as Error).message.split('\n')[0] ?? ''}). ` +
        'Hint: build it (docker build) or pull it first',
    );
  }
  const config = inspected.Config as { StopSignal?: string; ExposedPorts?: Record<string, object> };
  const tcpPorts = Object.keys(config.ExposedPorts ?? {})
    .filter((spec) => spec.endsWith('/tcp'))
    .map((spec) => Number(spec.split('/')[0]));
  return { stopSignal: config.StopSignal ?? 'SIGTERM', tcpPorts };
}

/**
 * A Docker image run as a server in a container target's network namespace (`--network container:<agent>`): the
 * agent sees its sockets, counters and captures as its own. Labelled like every container of the run, so the
 * sweeps find it; the target removes it when it stops.
 */
export class ImageServer {
  private constructor(
    private readonly container: Docker.Container,
    readonly image: string,
    private readonly options: ImageServerOptions,
    /** The container whose network namespace the server joins: the target's agent. */
    private readonly namespaceOf: string,
    private readonly onStart: (server: ImageServer) => void,
  ) {}

  /** Creates and starts the server's container in `namespaceOf`'s network namespace. */
  static async start(
    namespaceOf: string,
    image: string,
    options: ImageServerOptions,
    onStart: (server: ImageServer) => void = () => undefined,
  ): Promise<ImageServer> {
    const config = testkitConfig();
    const container = await new Docker().createContainer({
      Image: image,
      ...(options.args === undefined ? {} : { Cmd: [...options.args] }),
      Labels: runLabels(config.runId, config.ownerPid),
      HostConfig: { NetworkMode: `container:${namespaceOf}` },
    });
    const server = new ImageServer(container, image, options, namespaceOf, onStart);
    onStart(server);
    await container.start();
    return server;
  }

  /** The container's short id. */
  get id(): string {
    return this.container.id.slice(0, 12);
  }

  /** Sends a signal to the server's main process (`docker kill --signal`). */
  async signal(signal: string): Promise<void> {
    await this.container.kill({ signal });
  }

  /** How the server ended, or undefined while it runs. */
  async exit(): Promise<ImageServerExit | undefined> {
    const { State } = await this.container.inspect();
    if (State.Running || State.Status === 'created') return undefined;
    return { code: State.ExitCode, finishedAt: Date.parse(State.FinishedAt) };
  }

  /** Waits up to `timeoutMs` for the server to end; undefined if it still runs then. */
  async waitForExit(timeoutMs: number): Promise<ImageServerExit | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const exit = await this.exit();
      if (exit !== undefined || Date.now() >= until) return exit;
      await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
    }
  }

  /** What the server printed so far, stdout and stderr in order. */
  async output(): Promise<string> {
    const log = (await this.container.logs({
      stdout: true,
      stderr: true,
      follow: false,
    })) as unknown as Buffer;
    return dockerLogText(log);
  }

  /** The same image and arguments started again in the same network namespace (this one's container stays). */
  again(): Promise<ImageServer> {
    return ImageServer.start(this.namespaceOf, this.image, this.options, this.onStart);
  }

  /** Removes the container, killing the server if it still runs. */
  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    });
  }
}
