/* The errno names and hints of errno.ts, and the error event and message of socket-error.ts and program-events.ts. */
#include "socket-error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
  int number;
  const char *name;
} NAMES[] = {
    {1, "EPERM"},         {2, "ENOENT"},           {4, "EINTR"},         {9, "EBADF"},
    {11, "EAGAIN"},       {12, "ENOMEM"},          {13, "EACCES"},       {14, "EFAULT"},
    {22, "EINVAL"},       {23, "ENFILE"},          {24, "EMFILE"},       {32, "EPIPE"},
    {88, "ENOTSOCK"},     {92, "ENOPROTOOPT"},     {93, "EPROTONOSUPPORT"}, {94, "ESOCKTNOSUPPORT"},
    {95, "EOPNOTSUPP"},   {97, "EAFNOSUPPORT"},    {98, "EADDRINUSE"},   {99, "EADDRNOTAVAIL"},
    {100, "ENETDOWN"},    {101, "ENETUNREACH"},    {103, "ECONNABORTED"}, {104, "ECONNRESET"},
    {105, "ENOBUFS"},     {106, "EISCONN"},        {107, "ENOTCONN"},    {110, "ETIMEDOUT"},
    {111, "ECONNREFUSED"}, {113, "EHOSTUNREACH"},  {114, "EALREADY"},    {115, "EINPROGRESS"},
};

static const struct {
  const char *name;
  const char *hint;
} HINTS[] = {
    {"EADDRINUSE",
     "another socket holds this address and port: a live listener, or TIME_WAIT entries when SO_REUSEADDR is not set"},
    {"EADDRNOTAVAIL",
     "no local address/port pair is left (ephemeral ports held by TIME_WAIT?), or the address is not on this host"},
    {"ECONNREFUSED", "nothing listens on that address and port (the peer answered the SYN with RST)"},
    {"ECONNRESET", "the peer reset the connection (RST): SO_LINGER 0, unread data at close(), or an aborted socket"},
    {"ETIMEDOUT", "the peer never answered: SYN or data retransmissions ran out"},
    {"EPIPE", "the connection was shut down for writing or closed by the peer"},
    {"ENOTCONN", "the socket is not connected (yet, or any more)"},
    {"EINVAL", "the call does not fit the socket state (listen before bind? bind twice?)"},
    {"EACCES", "ports below 1024 need CAP_NET_BIND_SERVICE"},
    {"EPERM", "the kernel refused: a capability (NET_ADMIN?) is missing"},
    {"EMFILE", "this process has no file descriptors left (ulimit -n)"},
    {"EAFNOSUPPORT", "the address family does not match the socket (IPv6 address on an IPv4 socket?)"},
};

int socket_error_set(struct socket_error *failure, const char *syscall, const char *detail) {
  failure->syscall = syscall;
  failure->error = errno;
  snprintf(failure->detail, sizeof failure->detail, "%s", detail);
  return -1;
}

void socket_error_emit(const struct socket_error *failure, int conn) {
  char code[16];
  snprintf(code, sizeof code, "E%d", failure->error);
  for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
    if (NAMES[i].number == failure->error) snprintf(code, sizeof code, "%s", NAMES[i].name);
  }
  const char *hint = NULL;
  for (size_t i = 0; i < sizeof HINTS / sizeof HINTS[0]; i++) {
    if (strcmp(HINTS[i].name, code) == 0) hint = HINTS[i].hint;
  }
  char message[512];
  int used = snprintf(message, sizeof message, "%s", failure->syscall);
  if (failure->detail[0] != '\0') used += snprintf(message + used, sizeof message - (size_t)used, "(%s)", failure->detail);
  used += snprintf(message + used, sizeof message - (size_t)used, " failed: %s (%s)", code, strerror(failure->error));
  if (hint != NULL) snprintf(message + used, sizeof message - (size_t)used, ". Hint: %s", hint);

  struct event e = {0};
  event_begin(&e, "error");
  if (conn > 0) event_int(&e, "conn", conn);
  event_string(&e, "syscall", failure->syscall);
  event_string(&e, "code", code);
  event_string(&e, "message", message);
  if (hint != NULL) event_string(&e, "hint", hint);
  event_end(&e);
}
