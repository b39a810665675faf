import { sweepContainers } from './sweep-containers';
import { sweepVms } from './vm/sweep-vms';

/** Jest globalTeardown: removes every container, network and VM kernel this run made, whatever the specs' outcome. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.SOCKSPEC_RUN_ID;
  if (runId === undefined) return;
  sweepVms({ runId });
  const swept = await sweepContainers({ runId });
  if (swept.containers.length + swept.networks.length > 0) {
    console.log(
      `sockspec: teardown removed ${swept.containers.length} container(s) and ${swept.networks.length} network(s) a spec did not stop`,
    );
  }
}
