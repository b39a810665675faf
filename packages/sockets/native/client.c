/*
 * sockspec-client in C, for targets where a Node start costs seconds (an emulated VM kernel). The same command line,
 * events and exit codes as client.ts and client-options.ts: opens --count connections at once, reports each one's
 * fate, sends, shuts down and closes as told, and exits by itself once every connection is closed or has failed
 * (code 1 if any failed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "args.h"
#include "events.h"
#include "program.h"
#include "sockets.h"

static const char USAGE[] =
    "Usage: sockspec-client <ip> <port> [options]\n"
    "\n"
    "The telnet role: connects, optionally sends, shuts down or closes, and reports what the kernel did.\n"
    "Prints one JSON line per event: connecting, connected, sent, shutdown, received, eof, closed, error, exiting.\n"
    "\n"
    "Options:\n"
    "  --count N              open N connections at once (default 1)\n"
    "  --send TEXT            send TEXT once connected\n"
    "  --shutdown write       shutdown(SHUT_WR) after connecting (and sending); also: read, both\n"
    "  --close-after SECONDS  close each connection SECONDS after it connected, once it has read what\n"
    "                         arrived, so the close sends FIN, not RST (default: keep it open)\n"
    "  --close-on-eof         close each connection once the peer's FIN is read (the peer closes first)\n"
    "  --linger SECONDS       set SO_LINGER {on, SECONDS} before closing (0: close() sends RST)\n"
    "  --reuseaddr            set SO_REUSEADDR before connecting\n"
    "  --help                 show this text\n"
    "\n"
    "Example: sockspec-client 127.0.0.1 9000 --count 5\n";

enum { COUNT, SEND, SHUTDOWN, CLOSE_AFTER, CLOSE_ON_EOF, LINGER, REUSEADDR, FLAG_COUNT };
static const struct flag_spec FLAGS[FLAG_COUNT] = {
    [COUNT] = {"count", true},          [SEND] = {"send", true},        [SHUTDOWN] = {"shutdown", true},
    [CLOSE_AFTER] = {"close-after", true}, [CLOSE_ON_EOF] = {"close-on-eof", false}, [LINGER] = {"linger", true},
    [REUSEADDR] = {"reuseaddr", false},
};
/** shutdown()'s words, in the order of SHUT_RD, SHUT_WR, SHUT_RDWR. */
static const char *const SHUTDOWN_HOWS[] = {"read", "write", "both", NULL};

struct options {
  const char *address;
  int port;
  int count;
  /** Text to send once connected, or NULL. */
  const char *send;
  /** shutdown() this direction (index into SHUTDOWN_HOWS) after connecting; -1: none. */
  int shutdown;
  /** Seconds after connecting; below 0: keep it until the process ends. */
  double close_after;
  bool close_on_eof;
  /** SO_LINGER seconds before close; below 0: not set. */
  int linger;
  bool reuse_addr;
};

/* parseClientArgs: the same checks in the same order, so the first mistake named is the same one. */
static void parse(int argc, char **argv, struct options *options) {
  char mistake[MISTAKE_SIZE] = "";
  struct parsed_args args;
  double count = 1, close_after = -1, linger = -1;
  bool ok = args_parse(argc, argv, FLAGS, FLAG_COUNT, &args, mistake);
  if (ok && args.help) program_answer_usage("sockspec-client", USAGE, true, NULL);
  options->address = args.positional_count > 0 ? args.positionals[0] : NULL;
  ok = ok && number_flag(args.values[COUNT], "count", 1, 10000, true, &count, mistake) &&
       word_flag(args.values[SHUTDOWN], "shutdown", SHUTDOWN_HOWS, &options->shutdown, mistake) &&
       number_flag(args.values[CLOSE_AFTER], "close-after", 0, 86400, false, &close_after, mistake) &&
       number_flag(args.values[LINGER], "linger", 0, 65535, true, &linger, mistake) &&
       no_more_args(&args, 2, mistake) && address_arg(options->address, "ip", mistake) &&
       port_arg(args.positional_count > 1 ? args.positionals[1] : NULL, "port", 1, &options->port, mistake);
  if (!ok) program_answer_usage("sockspec-client", USAGE, false, mistake);
  options->count = (int)count;
  options->send = args.values[SEND];
  options->close_after = close_after;
  options->close_on_eof = args.values[CLOSE_ON_EOF] != NULL;
  options->linger = (int)linger;
  options->reuse_addr = args.values[REUSEADDR] != NULL;
}

/* connecting: handshake under way; open: reading; quiet: peer's FIN read; done: closed or failed. */
enum phase { ABSENT, CONNECTING, OPEN, QUIET, DONE };

struct connection {
  /** ABSENT: its socket could not be made, so it is not waited for. */
  enum phase phase;
  int fd;
  /** When --close-after closes it (monotonic ms); below 0: never. */
  long long deadline;
};

static struct options options;
/** By id, from 1. */
static struct connection *connections;
static int failures;
static bool stopped;

static void emit_conn(const char *name, int id) {
  struct event e = {0};
  event_begin(&e, name);
  event_int(&e, "conn", id);
  event_end(&e);
}

static void emit_received(int id, const unsigned char *data, long length) {
  struct event e = {0};
  event_begin(&e, "received");
  event_int(&e, "conn", id);
  event_int(&e, "bytes", length);
  event_bytes(&e, "text", data, (size_t)length);
  event_end(&e);
}

static bool all_done(void) {
  for (int id = 1; id <= options.count; id++) {
    if (connections[id].phase != ABSENT && connections[id].phase != DONE) return false;
  }
  return true;
}

static void finish(const char *signal);

static void fail(int id, const struct socket_error *failure) {
  failures += 1;
  connections[id].deadline = -1;
  connections[id].phase = DONE;
  socket_error_emit(failure, id);
  close(connections[id].fd);
}

/*
 * Reads what has arrived before a close: a close() with unread data sends RST instead of FIN (X2), and a slow
 * machine can bring the peer's answer between the last read and the close. A linger close keeps its own say.
 */
static int drain(int id, struct socket_error *failure) {
  static unsigned char buffer[65536];
  for (;;) {
    long received = socket_recv(connections[id].fd, buffer, sizeof buffer, failure);
    if (received == -1) return -1;
    if (received <= 0) return 0;
    emit_received(id, buffer, received);
  }
}

static void close_connection(int id) {
  struct connection *connection = &connections[id];
  if (connection->phase == ABSENT || connection->phase == DONE) return;
  connection->deadline = -1;
  connection->phase = DONE;
  struct socket_error failure;
  int result = options.linger >= 0 ? socket_linger(connection->fd, options.linger, &failure) : drain(id, &failure);
  if (result == 0 && close(connection->fd) < 0) result = socket_error_set(&failure, "close", "");
  if (result < 0) socket_error_emit(&failure, id);
  else emit_conn("closed", id);
  if (all_done()) finish(NULL);
}

/* The handshake is done: `connected`, then send, shutdown and the close timer as told. */
static int established(int id, struct socket_error *failure) {
  struct connection *connection = &connections[id];
  connection->phase = OPEN;
  struct sockaddr_storage local, remote;
  if (socket_name(connection->fd, false, &local, failure) < 0 || socket_name(connection->fd, true, &remote, failure) < 0) {
    return -1;
  }
  struct event e = {0};
  event_begin(&e, "connected");
  event_int(&e, "conn", id);
  event_endpoint(&e, "local", &local);
  event_endpoint(&e, "remote", &remote);
  event_end(&e);
  if (options.send != NULL) {
    ssize_t sent = send(connection->fd, options.send, strlen(options.send), MSG_NOSIGNAL);
    if (sent < 0 && errno != EAGAIN) return socket_error_set(failure, "send", "");
    event_begin(&e, "sent");
    event_int(&e, "conn", id);
    event_int(&e, "bytes", sent < 0 ? 0 : sent);
    event_end(&e);
  }
  if (options.shutdown >= 0) {
    if (shutdown(connection->fd, options.shutdown) < 0) {
      return socket_error_set(failure, "shutdown", SHUTDOWN_HOWS[options.shutdown]);
    }
    event_begin(&e, "shutdown");
    event_int(&e, "conn", id);
    event_string(&e, "how", SHUTDOWN_HOWS[options.shutdown]);
    event_end(&e);
  }
  if (options.close_after >= 0) connection->deadline = monotonic_ms() + (long long)(options.close_after * 1000);
  return 0;
}

/* A ready connection: a handshake that ended (SO_ERROR, then writable), or something to read. */
static int step(int id, struct socket_error *failure) {
  struct connection *connection = &connections[id];
  if (connection->phase == CONNECTING) {
    int code = 0;
    socklen_t length = sizeof code;
    if (getsockopt(connection->fd, SOL_SOCKET, SO_ERROR, &code, &length) < 0) {
      return socket_error_set(failure, "getsockopt", "SO_ERROR");
    }
    if (code != 0) {
      errno = code;
      return socket_error_set(failure, "connect", "");
    }
    struct pollfd one = {.fd = connection->fd, .events = POLLIN | POLLOUT | POLLRDHUP};
    if (poll(&one, 1, 0) < 0) return socket_error_set(failure, "poll", "");
    return (one.revents & POLLOUT) != 0 ? established(id, failure) : 0;
  }
  if (connection->phase != OPEN) return 0;
  static unsigned char buffer[65536];
  long received = socket_recv(connection->fd, buffer, sizeof buffer, failure);
  if (received == -1) return -1;
  if (received == -2) return 0;
  if (received == 0) {
    connection->phase = QUIET;
    emit_conn("eof", id);
    if (options.close_on_eof) close_connection(id);
  } else {
    emit_received(id, buffer, received);
  }
  return 0;
}

/* Every connection still held closed, then `exiting`; exit code 1 if any connection failed. */
static void finish(const char *signal) {
  if (stopped) return;
  stopped = true;
  for (int id = 1; id <= options.count; id++) close_connection(id);
  struct event e = {0};
  event_begin(&e, "exiting");
  if (signal != NULL) event_string(&e, "signal", signal);
  event_end(&e);
  exit(failures > 0 ? 1 : 0);
}

/* Opens every connection at once; a failure is counted and reported with the connection's id. */
static void connect_all(void) {
  bool ipv6 = false;
  address_valid(options.address, &ipv6);
  struct sockaddr_storage remote;
  socklen_t length = address_encode(options.address, options.port, ipv6, &remote);
  char where[96];
  address_describe(options.address, options.port, where, sizeof where);
  for (int id = 1; id <= options.count; id++) {
    struct socket_error failure;
    int fd = socket_create(ipv6, &failure);
    if (fd >= 0 && options.reuse_addr && socket_flag(fd, SO_REUSEADDR, "SO_REUSEADDR", &failure) < 0) fd = -1;
    if (fd < 0) {
      failures += 1;
      socket_error_emit(&failure, id);
      continue;
    }
    connections[id] = (struct connection){.phase = CONNECTING, .fd = fd, .deadline = -1};
    struct event e = {0};
    event_begin(&e, "connecting");
    event_int(&e, "conn", id);
    event_given_endpoint(&e, "remote", options.address, options.port);
    event_end(&e);
    int result = 0;
    if (connect(fd, (struct sockaddr *)&remote, length) == 0) result = established(id, &failure);
    else if (errno != EINPROGRESS) result = socket_error_set(&failure, "connect", where);
    if (result < 0) {
      failures += 1;
      socket_error_emit(&failure, id);
    }
  }
}

int main(int argc, char **argv) {
  parse(argc, argv, &options);
  int wake_ms = program_setup("sockspec-client");
  connections = calloc((size_t)options.count + 1, sizeof *connections);
  if (connections == NULL) abort();
  connect_all();
  if (all_done()) finish(NULL);
  struct pollfd *fds = calloc((size_t)options.count, sizeof *fds);
  int *ids = calloc((size_t)options.count, sizeof *ids);
  for (;;) {
    /* The watch set: handshakes under way (until writable), and open connections (until readable). */
    nfds_t count = 0;
    long long now = monotonic_ms(), timeout = wake_ms;
    for (int id = 1; id <= options.count; id++) {
      struct connection *connection = &connections[id];
      if (connection->deadline >= 0) {
        long long left = connection->deadline > now ? connection->deadline - now : 0;
        if (timeout < 0 || left < timeout) timeout = left;
      }
      if (connection->phase != CONNECTING && connection->phase != OPEN) continue;
      fds[count] = (struct pollfd){
          .fd = connection->fd, .events = connection->phase == CONNECTING ? POLLOUT : POLLIN | POLLRDHUP};
      ids[count++] = id;
    }
    const char *signal = NULL;
    int ready = program_wait(fds, count, timeout, &signal);
    if (signal != NULL) finish(signal);
    if (ready < 0) {
      struct socket_error failure;
      socket_error_set(&failure, "poll", "");
      socket_error_emit(&failure, 0);
    }
    for (nfds_t i = 0; ready > 0 && i < count; i++) {
      struct socket_error failure;
      if (fds[i].revents != 0 && step(ids[i], &failure) < 0) fail(ids[i], &failure);
    }
    if (all_done()) finish(NULL);
    /* --close-after: the connections whose time is up, in the order of their ids. */
    now = monotonic_ms();
    for (int id = 1; id <= options.count; id++) {
      if (connections[id].deadline >= 0 && connections[id].deadline <= now) close_connection(id);
    }
  }
}
