import Docker from 'dockerode';

const LOG_LINES = 20;

/**
 * What became of a target's container, in a sentence, for an agent that stopped answering: removed, exited (with
 * its code and the last lines it wrote), or still running.
 */
export async function diagnoseContainer(containerId: string): Promise<string> {
  const container = new Docker().getContainer(containerId);
  const short = containerId.slice(0, 12);
  let inspected: Docker.ContainerInspectInfo;
  try {
    inspected = await container.inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      return `its container ${short} no longer exists`;
    throw error;
  }
  const state = inspected.State;
  const logs = await container
    .logs({ stdout: true, stderr: true, tail: LOG_LINES })
    .then((buffer) => printable(buffer))
    .catch(() => '');
  const tail = logs === '' ? '' : `; its last output:\n${logs}`;
  if (state.Running) return `its container ${short} is still running${tail}`;
  return (
    `its container ${short} exited with code ${state.ExitCode}` +
    (state.OOMKilled ? ' (killed for lack of memory)' : '') +
    (state.Error === '' ? '' : ` (${state.Error})`) +
    tail
  );
}

/** Docker's multiplexed log stream, with its 8-byte frame headers dropped. */
function printable(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return (parts.length > 0 ? parts.join('') : buffer.toString('utf8')).trimEnd();
}
