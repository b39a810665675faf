import { specFileOf } from '@sockspec/records';

interface JestState {
  readonly testPath?: string;
  readonly currentTestName?: string;
}

/** The spec file (relative to the folder Jest runs in) and the test now running, when inside Jest. */
export function currentScenario(): { file?: string; test?: string } {
  const state = (globalThis as { expect?: { getState?: () => JestState } }).expect?.getState?.();
  return {
    file: state?.testPath === undefined ? undefined : specFileOf(state.testPath),
    test: state?.currentTestName,
  };
}
