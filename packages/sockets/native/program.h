/* The shared main of the two programs (run-program.ts): usage, settings, signals, and waiting for readiness. */
#ifndef SOCKSPEC_PROGRAM_H
#define SOCKSPEC_PROGRAM_H

#include <poll.h>
#include <stdbool.h>

#include "args.h"

/** --help: the usage on stdout, exit 0; a mistake: the name, the mistake and the usage on stderr, exit 2. */
void program_answer_usage(const char *name, const char *usage, bool help, const char *mistake);
/**
 * SOCKSPEC_PROGRAM_WAKE_MS (program-config.ts): wake every that many ms with nothing ready; -1 when unset. A bad
 * value ends the program with exit code 2. Then SIGTERM and SIGINT are held until program_wait() lets them in.
 */
int program_setup(const char *name);
/**
 * poll(2) until a descriptor is ready, `timeout_ms` passes (-1: no limit) or SIGTERM/SIGINT arrives: answers
 * poll's result (-1 with errno on failure, 0 on a signal), and the signal's name in *signal once one arrived.
 */
int program_wait(struct pollfd *fds, nfds_t count, long long timeout_ms, const char **signal);
/** A steady clock in ms, for the programs' timers. */
long long monotonic_ms(void);

#endif
