// The CPU time the targets' agents spent in one suite run, from the timeline records it wrote: each target's agent
// reads its own process's user + system time (process.cpuUsage) as the target stops, and the record keeps it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The agents' CPU time summed over a run's timeline records (ms), and how many targets it covers; records written
 * without the figure (a target that could not answer as it stopped) are counted apart, not guessed.
 */
export function agentCpuOfRun(reportDir) {
  const dir = join(reportDir, 'records');
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
  let cpuMs = 0;
  let targets = 0;
  let unmeasured = 0;
  for (const name of files) {
    const { agentCpuMs } = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (typeof agentCpuMs === 'number') {
      cpuMs += agentCpuMs;
      targets += 1;
    } else {
      unmeasured += 1;
    }
  }
  return { cpuMs, targets, unmeasured };
}
