/* The socket calls both programs make, each failure as a socket_error named as socket.ts names it. */
#ifndef SOCKSPEC_SOCKETS_H
#define SOCKSPEC_SOCKETS_H

#include <stdbool.h>
#include <sys/socket.h>

#include "socket-error.h"

/** A non-blocking, close-on-exec TCP socket of the address's family; -1 with *failure set. */
int socket_create(bool ipv6, struct socket_error *failure);
/** setsockopt(SOL_SOCKET, option, 1) for SO_REUSEADDR or SO_REUSEPORT; `name` names it in a failure. */
int socket_flag(int fd, int option, const char *name, struct socket_error *failure);
/** SO_LINGER {on, seconds}: with 0 seconds, close() sends RST. */
int socket_linger(int fd, int seconds, struct socket_error *failure);
/** getsockname or getpeername into *address. */
int socket_name(int fd, bool peer, struct sockaddr_storage *address, struct socket_error *failure);
/** recv(): the bytes read, 0 at the peer's FIN, -2 when nothing has arrived yet, -1 with *failure set. */
long socket_recv(int fd, unsigned char *buffer, size_t size, struct socket_error *failure);

#endif
