/** Labels on everything a run makes, so that it can always be found and removed. */
export const LABEL_PROJECT = 'sockspec';
export const LABEL_RUN = 'sockspec.run';
export const LABEL_OWNER_PID = 'sockspec.owner-pid';

export function runLabels(runId: string, ownerPid: number): Record<string, string> {
  return { [LABEL_PROJECT]: 'true', [LABEL_RUN]: runId, [LABEL_OWNER_PID]: String(ownerPid) };
}
