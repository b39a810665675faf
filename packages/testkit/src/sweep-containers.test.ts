import { runLabels } from './labels';
import { selectedForSweep } from './sweep-containers';

/** A pid that cannot be alive: above the kernel's pid_max limit (4194304). */
const DEAD_PID = 4_194_305;

describe('selectedForSweep', () => {
  it('takes everything of the run being torn down, even while its owner lives', () => {
    expect(selectedForSweep(runLabels('run-1', process.pid), { runId: 'run-1' })).toBe(true);
  });

  it("leaves another live run's containers alone", () => {
    expect(selectedForSweep(runLabels('run-2', process.pid), { runId: 'run-1', stale: true })).toBe(
      false,
    );
  });

  it('takes the containers of a run whose owner died', () => {
    expect(selectedForSweep(runLabels('run-3', DEAD_PID), { stale: true })).toBe(true);
  });

  it("never touches what is not sockspec's", () => {
    expect(selectedForSweep({ 'sockspec.run': 'run-1' }, { runId: 'run-1', stale: true })).toBe(
      false,
    );
    expect(selectedForSweep(undefined, { stale: true })).toBe(false);
  });

  it('leaves a container that has only the label its image gave it (someone ran the image by hand)', () => {
    expect(selectedForSweep({ sockspec: 'true' }, { stale: true })).toBe(false);
  });
});
