/* One JSON line per event on stdout, as the Node programs print them (program-events.ts): event, time, fields. */
#ifndef SOCKSPEC_EVENTS_H
#define SOCKSPEC_EVENTS_H

#include <stddef.h>
#include <sys/socket.h>

/** An event being written: a growing buffer, flushed to stdout whole by event_end(). */
struct event {
  char *text;
  size_t length;
  size_t capacity;
};

void event_begin(struct event *e, const char *name);
void event_int(struct event *e, const char *field, long long value);
void event_string(struct event *e, const char *field, const char *value);
/** A string field from bytes read off a socket: decoded as UTF-8, invalid bytes as U+FFFD, as Buffer.toString does. */
void event_bytes(struct event *e, const char *field, const unsigned char *bytes, size_t length);
/** {"address": ..., "port": ...} of a socket address. */
void event_endpoint(struct event *e, const char *field, const struct sockaddr_storage *address);
/** {"address": ..., "port": ...} from the words of a command line. */
void event_given_endpoint(struct event *e, const char *field, const char *address, int port);
/** Closes the object and writes the line to stdout in one write. */
void event_end(struct event *e);

/** Milliseconds since the epoch, as Date.now(). */
long long wall_ms(void);

#endif
