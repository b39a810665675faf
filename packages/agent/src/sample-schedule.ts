import type { TcpSocketEntry } from '@sockspec/inspector';

/**
 * How the sampler is paced: 'on-demand' (the default) samples only while something reads the timeline as it is made
 * (timelineWanted), and then only when the table can change; 'adaptive' samples whenever the table can change, and
 * 'always' every interval, whatever happens: both kept only to measure what they cost (`npm run bench`).
 */
export type SamplingPolicy = 'on-demand' | 'adaptive' | 'always';

/**
 * When the sampler must look at the socket table next. Reading /proc/net/tcp costs about a millisecond of kernel
 * time whatever the namespace holds (the kernel walks its whole connection hash table, shared by every namespace),
 * so a target that reads it every 10 ms all the time costs a quarter of a core. Yet a target's table changes only
 * for a few reasons, and the sampler can tell when none of them can act:
 *
 * - a request of the test (a socket call, a program started): the table is sampled densely for a while after it;
 * - a program of the target's, or a peer outside the target: they act when they like, so while there is one, densely;
 * - a kernel timer (TIME_WAIT, FIN_WAIT2, a retransmission): procfs shows each timer and the time left on it, and
 *   a kernel timer never fires early, so the sampler may sleep until a while before the first one is due.
 *
 * With none of these, nothing in the table can change until the next request: the sampler pauses. Each change is
 * still seen within one interval of when it happened, as with sampling all the time. While a wait is open, the
 * sampler also looks at least every WAIT_POLL_INTERVALS intervals, whatever it foresees: a change it did not foresee
 * (seen on an emulated kernel: a keepalive's end) then answers the wait late by that much at most, never not at all.
 * On demand (the default policy), all this holds only while something reads the timeline as it is made
 * (timelineWanted); otherwise the sampler pauses until the next request.
 */
export interface ScheduleInput {
  readonly now: number;
  /** The last sample: when it was read and what it showed. */
  readonly sample: { readonly time: number; readonly entries: readonly TcpSocketEntry[] };
  /** Dense sampling until then (epoch ms), after a request. */
  readonly denseUntil: number;
  readonly programsRunning: boolean;
  /** Whether a test waits on the table now. */
  readonly waitOpen: boolean;
  /** Whether a client long-polls the change log for the next change. */
  readonly longPollOpen: boolean;
  /** Whether a packet capture runs: the report places each sampled change among its segments. */
  readonly captureRunning: boolean;
  /** 'on-demand' or 'adaptive' ('always' needs no schedule). */
  readonly policy: Exclude<SamplingPolicy, 'always'>;
  /** The agent's own port: its listener and control connections are the agent's doing, not the test's. */
  readonly agentPort: number;
  readonly intervalMs: number;
}

/** How much earlier than a timer shown in procfs to wake: procfs truncates to 10 ms ticks, and clocks drift. */
export const TIMER_MARGIN_MS = 50;
/**
 * Sampling intervals of dense sampling before a timer is due, on top of the margin: a loaded machine (an emulated
 * VM beside others) can wake the sampler a second late, and the sample after a timer's end must not be the first.
 */
export const TIMER_LEAD_INTERVALS = 50;

/** While a wait is open, the most sampling intervals between two samples. */
export const WAIT_POLL_INTERVALS = 10;

/** How long before a timer shown in procfs the sampler wakes, for a sampling interval. */
export function timerLeadMs(intervalMs: number): number {
  return TIMER_MARGIN_MS + TIMER_LEAD_INTERVALS * intervalMs;
}

/**
 * Whether anything reads the timeline as it is made: an open wait or long poll (answered at the first sample that
 * shows what it waits for), a running program (the specs read its doings from the log), or a capture (the report's
 * ladders place each change between the segments around it). Otherwise a change is logged at the next sample a
 * request takes (each request samples just before and after it acts, and so does a read of the log), dated by the
 * two samples around it: its order and presence are kept, only its time is known less closely.
 */
export function timelineWanted(input: ScheduleInput): boolean {
  return input.waitOpen || input.longPollOpen || input.programsRunning || input.captureRunning;
}

/**
 * Milliseconds until the next sample is due, or null: nothing can change the table before the next request, or
 * (on demand) nothing reads the timeline until then.
 */
export function nextSampleDelay(input: ScheduleInput): number | null {
  if (input.policy === 'on-demand' && !timelineWanted(input)) return null;
  const foreseen = foreseenDelay(input);
  if (!input.waitOpen && !input.longPollOpen) return foreseen;
  const poll = Math.max(0, input.sample.time + WAIT_POLL_INTERVALS * input.intervalMs - input.now);
  return foreseen === null ? poll : Math.min(foreseen, poll);
}

/** When the next change can come, from what can make one (the list above), or null: none can. */
function foreseenDelay(input: ScheduleInput): number | null {
  const { now, sample, intervalMs } = input;
  const dense = Math.max(0, sample.time + intervalMs - now);
  if (now < input.denseUntil || input.programsRunning) return dense;
  const entries = sample.entries.filter((entry) => entry.local.port !== input.agentPort);
  if (entries.some(reachableFromOutside)) return dense;
  let firstDue = Infinity;
  for (const entry of entries) {
    if (entry.timer.kind === 'none') continue;
    firstDue = Math.min(firstDue, sample.time + entry.timer.remainingMs - timerLeadMs(intervalMs));
  }
  if (firstDue === Infinity) return null;
  return Math.max(dense, firstDue - now);
}

/** Whether a peer outside the target could change this entry: it talks to, or listens for, a non-loopback address. */
function reachableFromOutside(entry: TcpSocketEntry): boolean {
  if (entry.state === 'LISTEN') return !isLoopback(entry.local.address);
  return !isLoopback(entry.remote.address);
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
