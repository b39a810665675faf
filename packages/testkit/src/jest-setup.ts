import { socketMatchers } from './socket-matchers';
import { yieldToTargets } from './worker-priority';

/** Jest setupFilesAfterEnv for scenario suites: registers the socket matchers, and lets the targets go first. */
expect.extend(socketMatchers);
yieldToTargets();
