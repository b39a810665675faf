/*
 * sockspec-server in C, for targets where a Node start costs seconds (an emulated VM kernel). The same command line,
 * events and exit codes as server.ts and server-options.ts: listen, accept (unless told not to), report what
 * arrives, and close a connection only when --close-after says so. A peer's FIN is reported as `eof` and otherwise
 * ignored: that is how a connection ends up in CLOSE_WAIT.
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
    "Usage: sockspec-server <port> [ip] [options]\n"
    "\n"
    "The article's tcpServer: binds, listens, accepts, and never closes a connection unless told to.\n"
    "Prints one JSON line per event: listening, accepted, received, eof, closed, error, exiting.\n"
    "\n"
    "Options:\n"
    "  --backlog N            listen() backlog (default 2)\n"
    "  --no-accept            never call accept(): connections wait in the kernel's accept queue\n"
    "  --close-after SECONDS  close each accepted connection SECONDS after accepting it (default: never)\n"
    "  --reuseaddr            set SO_REUSEADDR before bind()\n"
    "  --reuseport            set SO_REUSEPORT before bind()\n"
    "  --linger SECONDS       set SO_LINGER {on, SECONDS} on accepted connections (0: close() sends RST)\n"
    "  --help                 show this text\n"
    "\n"
    "Example: sockspec-server 9000 127.0.0.1 --backlog 2 --no-accept\n";

enum { BACKLOG, NO_ACCEPT, CLOSE_AFTER, REUSEADDR, REUSEPORT, LINGER, FLAG_COUNT };
static const struct flag_spec FLAGS[FLAG_COUNT] = {
    [BACKLOG] = {"backlog", true},     [NO_ACCEPT] = {"no-accept", false}, [CLOSE_AFTER] = {"close-after", true},
    [REUSEADDR] = {"reuseaddr", false}, [REUSEPORT] = {"reuseport", false}, [LINGER] = {"linger", true},
};

struct options {
  int port;
  const char *address;
  int backlog;
  bool accept;
  /** Seconds after accepting; below 0: never close. */
  double close_after;
  bool reuse_addr;
  bool reuse_port;
  /** SO_LINGER seconds on accepted sockets; below 0: not set. */
  int linger;
};

/* parseServerArgs: the same checks in the same order, so the first mistake named is the same one. */
static void parse(int argc, char **argv, struct options *options) {
  char mistake[MISTAKE_SIZE] = "";
  struct parsed_args args;
  double backlog = 2, close_after = -1, linger = -1;
  bool ok = args_parse(argc, argv, FLAGS, FLAG_COUNT, &args, mistake);
  if (ok && args.help) program_answer_usage("sockspec-server", USAGE, true, NULL);
  ok = ok && number_flag(args.values[BACKLOG], "backlog", -1, 1 << 20, true, &backlog, mistake) &&
       number_flag(args.values[CLOSE_AFTER], "close-after", 0, 86400, false, &close_after, mistake) &&
       number_flag(args.values[LINGER], "linger", 0, 65535, true, &linger, mistake) && no_more_args(&args, 2, mistake) &&
       port_arg(args.positional_count > 0 ? args.positionals[0] : NULL, "port", 0, &options->port, mistake);
  options->address = args.positional_count > 1 ? args.positionals[1] : "0.0.0.0";
  ok = ok && address_arg(options->address, "ip", mistake);
  if (!ok) program_answer_usage("sockspec-server", USAGE, false, mistake);
  options->backlog = (int)backlog;
  options->accept = args.values[NO_ACCEPT] == NULL;
  options->close_after = close_after;
  options->reuse_addr = args.values[REUSEADDR] != NULL;
  options->reuse_port = args.values[REUSEPORT] != NULL;
  options->linger = (int)linger;
}

struct connection {
  int id;
  int fd;
  /** Reading stopped: the peer's FIN arrived (the server does NOT close because of it) or the connection failed. */
  bool quiet;
  /** When --close-after closes it (monotonic ms); below 0: never. */
  long long deadline;
};

static struct options options;
static int listener = -1;
static struct connection *connections;
static int connection_count, connection_capacity, next_id = 1;

static struct connection *find(int id) {
  for (int i = 0; i < connection_count; i++) {
    if (connections[i].id == id) return &connections[i];
  }
  return NULL;
}

static void close_connection(int id) {
  struct connection *connection = find(id);
  if (connection == NULL) return;
  int fd = connection->fd;
  memmove(connection, connection + 1, (size_t)(connections + connection_count - connection - 1) * sizeof *connection);
  connection_count--;
  struct socket_error failure;
  if (close(fd) < 0) {
    socket_error_set(&failure, "close", "");
    socket_error_emit(&failure, id);
    return;
  }
  struct event e = {0};
  event_begin(&e, "closed");
  event_int(&e, "conn", id);
  event_end(&e);
}

/* Accepts every connection waiting in the queue; a failure is reported and ends this round. */
static void accept_all(void) {
  struct socket_error failure;
  for (;;) {
    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EAGAIN) return;
      socket_error_set(&failure, "accept", "");
      socket_error_emit(&failure, 0);
      return;
    }
    if (connection_count == connection_capacity) {
      connection_capacity = connection_capacity == 0 ? 16 : connection_capacity * 2;
      connections = realloc(connections, (size_t)connection_capacity * sizeof *connections);
      if (connections == NULL) abort();
    }
    int id = next_id++;
    connections[connection_count++] = (struct connection){.id = id, .fd = fd, .quiet = false, .deadline = -1};
    struct sockaddr_storage local, remote;
    if ((options.linger >= 0 && socket_linger(fd, options.linger, &failure) < 0) ||
        socket_name(fd, false, &local, &failure) < 0 || socket_name(fd, true, &remote, &failure) < 0) {
      socket_error_emit(&failure, 0);
      return;
    }
    struct event e = {0};
    event_begin(&e, "accepted");
    event_int(&e, "conn", id);
    event_endpoint(&e, "local", &local);
    event_endpoint(&e, "remote", &remote);
    event_end(&e);
    if (options.close_after >= 0) find(id)->deadline = monotonic_ms() + (long long)(options.close_after * 1000);
  }
}

static void read_connection(int id) {
  static unsigned char buffer[65536];
  struct connection *connection = find(id);
  if (connection == NULL || connection->quiet) return;
  struct socket_error failure;
  long received = socket_recv(connection->fd, buffer, sizeof buffer, &failure);
  if (received == -2) return;
  struct event e = {0};
  if (received < 0) {
    connection->quiet = true;
    socket_error_emit(&failure, id);
  } else if (received == 0) {
    connection->quiet = true;
    event_begin(&e, "eof");
    event_int(&e, "conn", id);
    event_end(&e);
  } else {
    event_begin(&e, "received");
    event_int(&e, "conn", id);
    event_int(&e, "bytes", received);
    event_bytes(&e, "text", buffer, (size_t)received);
    event_end(&e);
  }
}

/* SIGTERM or SIGINT: every connection closed, then the listener, then `exiting`; exit code 0. */
static void stop(const char *signal) {
  while (connection_count > 0) close_connection(connections[0].id);
  close(listener);
  struct event e = {0};
  event_begin(&e, "exiting");
  event_string(&e, "signal", signal);
  event_end(&e);
  exit(0);
}

/* socket, options, bind, listen: a failure is one `error` event and exit code 1. */
static void start_listening(void) {
  struct socket_error failure;
  bool ipv6 = false;
  address_valid(options.address, &ipv6);
  char where[96];
  address_describe(options.address, options.port, where, sizeof where);
  struct sockaddr_storage address;
  socklen_t length = address_encode(options.address, options.port, ipv6, &address);
  char backlog[16];
  snprintf(backlog, sizeof backlog, "%d", options.backlog);
  listener = socket_create(ipv6, &failure);
  if (listener < 0 || (options.reuse_addr && socket_flag(listener, SO_REUSEADDR, "SO_REUSEADDR", &failure) < 0) ||
      (options.reuse_port && socket_flag(listener, SO_REUSEPORT, "SO_REUSEPORT", &failure) < 0) ||
      (bind(listener, (struct sockaddr *)&address, length) < 0 && socket_error_set(&failure, "bind", where)) ||
      (listen(listener, options.backlog) < 0 && socket_error_set(&failure, "listen", backlog))) {
    socket_error_emit(&failure, 0);
    exit(1);
  }
  struct sockaddr_storage local;
  socket_name(listener, false, &local, &failure);
  char text[64];
  int port = 0;
  address_format(&local, text, sizeof text, &port);
  struct event e = {0};
  event_begin(&e, "listening");
  event_string(&e, "address", text);
  event_int(&e, "port", port);
  event_int(&e, "backlog", options.backlog);
  event_int(&e, "pid", getpid());
  event_end(&e);
}

int main(int argc, char **argv) {
  parse(argc, argv, &options);
  int wake_ms = program_setup("sockspec-server");
  start_listening();
  for (;;) {
    /* The watch set: the listener (unless --no-accept), then every connection still read. */
    struct pollfd *fds = calloc((size_t)connection_count + 1, sizeof *fds);
    int *keys = calloc((size_t)connection_count + 1, sizeof *keys);
    nfds_t count = 0;
    if (options.accept) {
      fds[count] = (struct pollfd){.fd = listener, .events = POLLIN | POLLRDHUP};
      keys[count++] = 0;
    }
    long long now = monotonic_ms(), timeout = wake_ms;
    for (int i = 0; i < connection_count; i++) {
      if (connections[i].deadline >= 0) {
        long long left = connections[i].deadline > now ? connections[i].deadline - now : 0;
        if (timeout < 0 || left < timeout) timeout = left;
      }
      if (connections[i].quiet) continue;
      fds[count] = (struct pollfd){.fd = connections[i].fd, .events = POLLIN | POLLRDHUP};
      keys[count++] = connections[i].id;
    }
    const char *signal = NULL;
    int ready = program_wait(fds, count, timeout, &signal);
    if (signal != NULL) stop(signal);
    if (ready < 0) {
      struct socket_error failure;
      socket_error_set(&failure, "poll", "");
      socket_error_emit(&failure, 0);
    }
    for (nfds_t i = 0; ready > 0 && i < count; i++) {
      if (fds[i].revents == 0) continue;
      if (keys[i] == 0) accept_all();
      else read_connection(keys[i]);
    }
    free(fds);
    free(keys);
    /* --close-after: the connections whose time is up, in the order they were accepted. */
    now = monotonic_ms();
    for (int i = 0; i < connection_count;) {
      if (connections[i].deadline >= 0 && connections[i].deadline <= now) close_connection(connections[i].id);
      else i++;
    }
  }
}
