import { describeFilter, type SocketFilter } from '@sockspec/agent/protocol';
import { appendProgress } from '@sockspec/records';
import { currentScenario } from './jest-state';
import { testkitConfig } from './testkit-config';

let nextWait = 0;

/**
 * Tells a watching `sockspec run` what the kernel is being waited on for, as lines appended to the file named by
 * SOCKSPEC_PROGRESS_FILE. Returns the call that marks the wait over. Does nothing when no one watches.
 */
export function announceWait(filter: SocketFilter, absent: boolean, timeoutMs: number): () => void {
  const file = testkitConfig().progressFile;
  if (file === undefined || timeoutMs < 1_000) return () => undefined;
  const id = `${process.pid}-${nextWait++}`;
  const what = `${absent ? 'no socket with' : 'a socket with'} ${describeFilter(filter)}`;
  appendProgress(file, {
    id,
    scenario: currentScenario().file,
    what,
    timeoutMs,
    start: Date.now(),
  });
  return () => appendProgress(file, { id, end: Date.now() });
}
