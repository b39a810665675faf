import { getPriority, setPriority } from 'node:os';

/** How far below the targets Jest's workers run (a nice value). */
const WORKER_NICENESS = 10;

/**
 * Jest's workers drive the targets and mostly wait on them. On a busy machine the CPU should go to what is measured,
 * the targets' agents and programs, before the harness that drives them: so each worker lowers its own priority
 * once. (A container's processes sit in Docker's cgroup, which the scheduler weighs as one process against each of
 * the host's: every busy worker would otherwise take as much CPU as all the targets together.)
 */
export function yieldToTargets(): void {
  try {
    if (getPriority() < WORKER_NICENESS) setPriority(WORKER_NICENESS);
  } catch {
    // not allowed here: the worker keeps its priority
  }
}
