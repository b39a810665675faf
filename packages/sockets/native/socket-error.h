/* A socket call that failed, printed as an `error` event: errno name as `code`, the message and hint of errno.ts. */
#ifndef SOCKSPEC_SOCKET_ERROR_H
#define SOCKSPEC_SOCKET_ERROR_H

#include "events.h"

struct socket_error {
  const char *syscall;
  int error;
  /** What the call was about (an address, an option), or empty. */
  char detail[96];
};

/** Fills *failure from errno for a call that returned -1; answers -1, for `return fail(...)`. */
int socket_error_set(struct socket_error *failure, const char *syscall, const char *detail);
/** An `error` event; `conn` above 0 adds the connection's id before the error's fields. */
void socket_error_emit(const struct socket_error *failure, int conn);

#endif
