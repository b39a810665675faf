/** TCP_TIMEWAIT_LEN in the kernel's source: a TIME_WAIT timer starts (and starts over) at 60 s. */
export const TCP_TIMEWAIT_LEN_MS = 60_000;

/**
 * How far a timer read from procfs may sit from the kernel's own: procfs shows the time left in 10 ms ticks
 * (USER_HZ), truncated, and a reading takes a few ms after its time stamp.
 */
export const PROCFS_TIMER_SLACK_MS = 250;
