/* Socket addresses from and to text, as sockaddr.ts and @sockspec/inspector's formatIpv6Bytes do it. */
#include "address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* An IPv6 text without its zone (fe80::1%eth0), which Node's isIPv6 allows and its sockaddr ignores. */
static bool without_zone(const char *text, char *out, size_t size) {
  const char *zone = strchr(text, '%');
  size_t length = zone == NULL ? strlen(text) : (size_t)(zone - text);
  if (length >= size) return false;
  if (zone != NULL) {
    if (zone[1] == '\0') return false;
    for (const char *c = zone + 1; *c != '\0'; c++) {
      bool allowed = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     *c == '-' || *c == '.' || *c == ':';
      if (!allowed) return false;
    }
  }
  memcpy(out, text, length);
  out[length] = '\0';
  return true;
}

bool address_valid(const char *text, bool *ipv6) {
  struct in6_addr v6;
  struct in_addr v4;
  char bare[INET6_ADDRSTRLEN + 1];
  if (inet_pton(AF_INET, text, &v4) == 1) {
    *ipv6 = false;
    return true;
  }
  if (without_zone(text, bare, sizeof bare) && inet_pton(AF_INET6, bare, &v6) == 1) {
    *ipv6 = true;
    return true;
  }
  return false;
}

socklen_t address_encode(const char *text, int port, bool ipv6_socket, struct sockaddr_storage *out) {
  memset(out, 0, sizeof *out);
  bool ipv6 = false;
  address_valid(text, &ipv6);
  if (!ipv6_socket) {
    struct sockaddr_in *in = (struct sockaddr_in *)out;
    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, text, &in->sin_addr);
    return sizeof *in;
  }
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons((uint16_t)port);
  char bare[INET6_ADDRSTRLEN + 8];
  if (ipv6) {
    without_zone(text, bare, sizeof bare);
  } else {
    snprintf(bare, sizeof bare, "::ffff:%s", text);
  }
  inet_pton(AF_INET6, bare, &in6->sin6_addr);
  return sizeof *in6;
}

/* RFC 5952 as formatIpv6Bytes writes it: the longest run of two or more zero groups as ::, v4-mapped dotted. */
static void format_ipv6(const unsigned char *bytes, char *text, size_t size) {
  unsigned groups[8];
  for (int i = 0; i < 8; i++) groups[i] = (unsigned)(bytes[2 * i] << 8) | bytes[2 * i + 1];
  if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0 &&
      groups[5] == 0xffff) {
    snprintf(text, size, "::ffff:%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);
    return;
  }
  int best_start = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) j++;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  size_t used = 0;
  text[0] = '\0';
  for (int i = 0; i < 8; i++) {
    if (i == best_start) {
      used += (size_t)snprintf(text + used, size - used, "::");
      i += best_length - 1;
      continue;
    }
    bool after_gap = best_start >= 0 && i == best_start + best_length;
    used += (size_t)snprintf(text + used, size - used, "%s%x", i == 0 || after_gap ? "" : ":", groups[i]);
  }
}

void address_format(const struct sockaddr_storage *address, char *text, size_t size, int *port) {
  if (address->ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)address;
    const unsigned char *b = (const unsigned char *)&in->sin_addr;
    snprintf(text, size, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    *port = ntohs(in->sin_port);
  } else {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)address;
    format_ipv6((const unsigned char *)&in6->sin6_addr, text, size);
    *port = ntohs(in6->sin6_port);
  }
}

void address_describe(const char *text, int port, char *out, size_t size) {
  bool ipv6 = false;
  address_valid(text, &ipv6);
  snprintf(out, size, ipv6 ? "[%s]:%d" : "%s:%d", text, port);
}
