/* The socket calls of socket.ts in C: every socket non-blocking, each failure named by its call and detail. */
#include "sockets.h"

#include <errno.h>
#include <netinet/in.h>

int socket_create(bool ipv6, struct socket_error *failure) {
  int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) return socket_error_set(failure, "socket", ipv6 ? "ipv6" : "ipv4");
  return fd;
}

int socket_flag(int fd, int option, const char *name, struct socket_error *failure) {
  int on = 1;
  if (setsockopt(fd, SOL_SOCKET, option, &on, sizeof on) < 0) return socket_error_set(failure, "setsockopt", name);
  return 0;
}

int socket_linger(int fd, int seconds, struct socket_error *failure) {
  struct linger linger = {.l_onoff = 1, .l_linger = seconds};
  if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger) < 0) {
    return socket_error_set(failure, "setsockopt", "SO_LINGER");
  }
  return 0;
}

int socket_name(int fd, bool peer, struct sockaddr_storage *address, struct socket_error *failure) {
  socklen_t length = sizeof *address;
  int result = peer ? getpeername(fd, (struct sockaddr *)address, &length)
                    : getsockname(fd, (struct sockaddr *)address, &length);
  if (result < 0) return socket_error_set(failure, peer ? "getpeername" : "getsockname", "");
  return 0;
}

long socket_recv(int fd, unsigned char *buffer, size_t size, struct socket_error *failure) {
  ssize_t received = recv(fd, buffer, size, 0);
  if (received >= 0) return (long)received;
  if (errno == EAGAIN) return -2;
  return socket_error_set(failure, "recv", "");
}
