import type {
  LadderEndpoint,
  LadderInput,
  LadderSegment,
  LadderStateChange,
} from './ladder-reading';

/**
 * The teardown as the article (and every TCP textbook) draws it: fixed drawings, not measurements. Their times only
 * order the rows (`timed: false`); the states use the kernel's spelling so they compare with the measured ladders.
 */

const A: LadderEndpoint = { address: 'A', port: 1 };
const B: LadderEndpoint = { address: 'B', port: 2 };
const ISN_A = 1000;
const ISN_B = 5000;

const segment = (
  step: number,
  from: LadderEndpoint,
  flags: readonly string[],
  numbers: { seq?: number; ack?: number },
): LadderSegment => ({ time: step, from, to: from === A ? B : A, flags, length: 0, ...numbers });

const change = (
  step: number,
  local: LadderEndpoint,
  from: string | null,
  to: string | null,
): LadderStateChange => ({ time: step, local, remote: local === A ? B : A, from, to });

const ends = {
  left: { endpoint: A, name: 'A', role: 'closes first (active)' },
  right: { endpoint: B, name: 'B', role: 'closed on (passive)' },
} as const;

/** Four segments: A's FIN, B's ACK, later B's FIN, A's ACK; then A waits 2MSL in TIME_WAIT. */
export function articleFourWay(id: string): LadderInput {
  return {
    id,
    title: "The article's drawing: four-way close (not measured)",
    ...ends,
    timed: false,
    segments: [
      segment(1, A, ['FIN'], { seq: ISN_A }),
      segment(2, B, ['ACK'], { ack: ISN_A + 1 }),
      segment(4, B, ['FIN', 'ACK'], { seq: ISN_B, ack: ISN_A + 1 }),
      segment(5, A, ['ACK'], { ack: ISN_B + 1 }),
    ],
    changes: [
      change(1, A, 'ESTABLISHED', 'FIN_WAIT1'),
      change(1, B, 'ESTABLISHED', 'CLOSE_WAIT'),
      change(2, A, 'FIN_WAIT1', 'FIN_WAIT2'),
      change(4, B, 'CLOSE_WAIT', 'LAST_ACK'),
      change(4, A, 'FIN_WAIT2', 'TIME_WAIT'),
      change(5, B, 'LAST_ACK', null),
      change(6, A, 'TIME_WAIT', null),
    ],
    drops: [],
  };
}

/** Three segments: B closes at once, so its ACK rides on its FIN. */
export function articleThreeWay(id: string): LadderInput {
  return {
    id,
    title: "The article's drawing: three-way close (not measured)",
    ...ends,
    timed: false,
    segments: [
      segment(1, A, ['FIN'], { seq: ISN_A }),
      segment(2, B, ['FIN', 'ACK'], { seq: ISN_B, ack: ISN_A + 1 }),
      segment(3, A, ['ACK'], { ack: ISN_B + 1 }),
    ],
    changes: [
      change(1, A, 'ESTABLISHED', 'FIN_WAIT1'),
      change(1, B, 'ESTABLISHED', 'CLOSE_WAIT'),
      change(2, B, 'CLOSE_WAIT', 'LAST_ACK'),
      change(2, A, 'FIN_WAIT1', 'TIME_WAIT'),
      change(3, B, 'LAST_ACK', null),
      change(4, A, 'TIME_WAIT', null),
    ],
    drops: [],
  };
}
