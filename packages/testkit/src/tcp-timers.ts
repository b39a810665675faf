/** TCP_TIMEWAIT_LEN in the kernel's source: a TIME_WAIT timer starts (and starts over) at 60 s. */
export const TCP_TIMEWAIT_LEN_MS = 60_000;
