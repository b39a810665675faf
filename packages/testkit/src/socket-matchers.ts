import { describeFilter, type SocketFilter } from '@sockspec/agent/protocol';
import { formatTable } from '@sockspec/inspector';
import type { Target } from './target';

export interface SocketCountOptions {
  /** Exactly this many sockets must match (default: at least one). */
  readonly count?: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /**
       * Looks at the target's TCP table now: `await expect(target).toHaveSocket({ state: 'CLOSE_WAIT', localPort: 8080 })`.
       * With `{ count: n }`, exactly n sockets must match.
       */
      toHaveSocket(filter: SocketFilter, options?: SocketCountOptions): Promise<R>;
      /**
       * No socket of the target's TCP table matches now: `await expect(target).toHaveNoSocket({ state: 'CLOSE_WAIT',
       * localPort: 8080 })`. Its message names the filter and how many matched.
       */
      toHaveNoSocket(filter: SocketFilter): Promise<R>;
    }
  }
}

function isTarget(value: unknown): value is Target {
  return (
    typeof value === 'object' && value !== null && typeof (value as Target).sockets === 'function'
  );
}

/** Jest matchers over a target's socket table, read from the kernel at the moment of the assertion. */
export const socketMatchers = {
  async toHaveSocket(
    this: jest.MatcherContext,
    received: unknown,
    filter: SocketFilter,
    options: SocketCountOptions = {},
  ): Promise<jest.CustomMatcherResult> {
    if (!isTarget(received)) {
      return { pass: false, message: () => 'expected a sockspec Target' };
    }
    const all = await received.sockets();
    const matching = await received.sockets(filter);
    const pass =
      options.count === undefined ? matching.length > 0 : matching.length === options.count;
    const wanted = options.count === undefined ? 'a socket' : `exactly ${options.count} socket(s)`;
    return {
      pass,
      message: () =>
        `expected ${received.name} ${this.isNot ? 'not ' : ''}to have ${wanted} with ${describeFilter(filter)}; ` +
        `${matching.length} matched. Its TCP table:\n${formatTable(all)}`,
    };
  },

  async toHaveNoSocket(
    this: jest.MatcherContext,
    received: unknown,
    filter: SocketFilter,
  ): Promise<jest.CustomMatcherResult> {
    if (!isTarget(received)) {
      return { pass: false, message: () => 'expected a sockspec Target' };
    }
    const all = await received.sockets();
    const matching = await received.sockets(filter);
    return {
      pass: matching.length === 0,
      message: () =>
        `expected ${received.name} ${this.isNot ? 'to have a socket' : 'to have no socket'} with ${describeFilter(filter)}; ` +
        `${matching.length} socket(s) matched. Its TCP table:\n${formatTable(all)}`,
    };
  },
};
