import { socketMatchers } from './socket-matchers';

/** Jest setupFilesAfterEnv for scenario suites: registers the socket matchers. */
expect.extend(socketMatchers);
