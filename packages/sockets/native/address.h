/* Socket addresses: from the text of a command line, and back to text as the Node programs print them. */
#ifndef SOCKSPEC_ADDRESS_H
#define SOCKSPEC_ADDRESS_H

#include <stdbool.h>
#include <sys/socket.h>

/** Whether text is an IPv4 or IPv6 address as Node's net.isIP takes it; IPv6 when *ipv6 is set. */
bool address_valid(const char *text, bool *ipv6);
/** The sockaddr for an address text and port; an IPv4 text on an IPv6 socket becomes ::ffff:a.b.c.d. */
socklen_t address_encode(const char *text, int port, bool ipv6_socket, struct sockaddr_storage *out);
/** The address of a sockaddr as text (IPv6 as inspector's formatIpv6Bytes writes it), and its port. */
void address_format(const struct sockaddr_storage *address, char *text, size_t size, int *port);
/** "a.b.c.d:port" or "[v6]:port", as the Node programs name an address in an error. */
void address_describe(const char *text, int port, char *out, size_t size);

#endif
