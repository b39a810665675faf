import Docker from 'dockerode';
import { processAlive } from './process-alive';
import { LABEL_OWNER_PID, LABEL_PROJECT, LABEL_RUN } from './labels';

export interface SweepSelection {
  /** Remove everything of this run. */
  readonly runId?: string;
  /** Remove everything whose owning process has died: a run that was killed before it could clean up. */
  readonly stale?: boolean;
}

export interface SweepResult {
  readonly containers: readonly string[];
  readonly networks: readonly string[];
}

/** Whether a sweep removes a resource with these labels. Pure but for the liveness check of the owner pid. */
export function selectedForSweep(
  labels: Record<string, string> | undefined,
  selection: SweepSelection,
): boolean {
  // The image carries sockspec=true too, and every container inherits it: only the run label marks what a run made.
  if (labels?.[LABEL_PROJECT] !== 'true' || labels[LABEL_RUN] === undefined) return false;
  if (selection.runId !== undefined && labels[LABEL_RUN] === selection.runId) return true;
  if (selection.stale !== true) return false;
  const owner = Number(labels[LABEL_OWNER_PID]);
  return !Number.isInteger(owner) || owner <= 0 || !processAlive(owner);
}

/**
 * Removes sockspec containers and networks of one run, or stale ones; those of other live runs stay.
 * Everything the kit creates carries the labels of labels.ts, so nothing escapes this sweep.
 */
export async function sweepContainers(selection: SweepSelection): Promise<SweepResult> {
  const docker = new Docker();
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=true`] });
  const containers: string[] = [];
  for (const info of await docker.listContainers({ all: true, filters })) {
    if (!selectedForSweep(info.Labels, selection)) continue;
    await docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined); // already gone
    containers.push(info.Id.slice(0, 12));
  }
  const networks: string[] = [];
  for (const info of await docker.listNetworks({ filters })) {
    if (!selectedForSweep(info.Labels, selection)) continue;
    await docker
      .getNetwork(info.Id)
      .remove()
      .catch(() => undefined);
    networks.push(info.Name);
  }
  return { containers, networks };
}
