/* One JSON line per event on stdout, written whole, as JSON.stringify writes the Node programs' events. */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "address.h"

long long wall_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void put(struct event *e, const char *text, size_t length) {
  if (e->length + length + 1 > e->capacity) {
    size_t capacity = e->capacity == 0 ? 256 : e->capacity;
    while (e->length + length + 1 > capacity) capacity *= 2;
    char *grown = realloc(e->text, capacity);
    if (grown == NULL) abort();
    e->text = grown;
    e->capacity = capacity;
  }
  memcpy(e->text + e->length, text, length);
  e->length += length;
}

static void put_text(struct event *e, const char *text) { put(e, text, strlen(text)); }

/* One code point (never a surrogate) as JSON.stringify writes it: escaped below U+0020, UTF-8 otherwise. */
static void put_code_point(struct event *e, unsigned point) {
  char out[8];
  switch (point) {
    case '"': put_text(e, "\\\""); return;
    case '\\': put_text(e, "\\\\"); return;
    case '\b': put_text(e, "\\b"); return;
    case '\f': put_text(e, "\\f"); return;
    case '\n': put_text(e, "\\n"); return;
    case '\r': put_text(e, "\\r"); return;
    case '\t': put_text(e, "\\t"); return;
  }
  if (point < 0x20) {
    snprintf(out, sizeof out, "\\u%04x", point);
    put_text(e, out);
  } else if (point < 0x80) {
    out[0] = (char)point;
    put(e, out, 1);
  } else if (point < 0x800) {
    out[0] = (char)(0xC0 | (point >> 6));
    out[1] = (char)(0x80 | (point & 0x3F));
    put(e, out, 2);
  } else if (point < 0x10000) {
    out[0] = (char)(0xE0 | (point >> 12));
    out[1] = (char)(0x80 | ((point >> 6) & 0x3F));
    out[2] = (char)(0x80 | (point & 0x3F));
    put(e, out, 3);
  } else {
    out[0] = (char)(0xF0 | (point >> 18));
    out[1] = (char)(0x80 | ((point >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((point >> 6) & 0x3F));
    out[3] = (char)(0x80 | (point & 0x3F));
    put(e, out, 4);
  }
}

/* The WHATWG UTF-8 decoder (as Node's Buffer.toString): each maximal invalid subpart becomes one U+FFFD. */
static void put_utf8(struct event *e, const unsigned char *bytes, size_t length) {
  unsigned point = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xBF;
  for (size_t i = 0; i < length; i++) {
    unsigned byte = bytes[i];
    if (needed == 0) {
      if (byte <= 0x7F) {
        put_code_point(e, byte);
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        needed = 1;
        point = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower = 0xA0;
        if (byte == 0xED) upper = 0x9F;
        needed = 2;
        point = byte & 0x0F;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower = 0x90;
        if (byte == 0xF4) upper = 0x8F;
        needed = 3;
        point = byte & 0x07;
      } else {
        put_code_point(e, 0xFFFD);
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      point = needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      put_code_point(e, 0xFFFD);
      i--; /* the byte starts afresh */
      continue;
    }
    lower = 0x80;
    upper = 0xBF;
    point = (point << 6) | (byte & 0x3F);
    if (++seen == needed) {
      put_code_point(e, point);
      point = needed = seen = 0;
    }
  }
  if (needed != 0) put_code_point(e, 0xFFFD);
}

static void put_key(struct event *e, const char *field) {
  put_text(e, ",\"");
  put_text(e, field);
  put_text(e, "\":");
}

void event_begin(struct event *e, const char *name) {
  char time[32];
  e->length = 0;
  put_text(e, "{\"event\":\"");
  put_text(e, name);
  snprintf(time, sizeof time, "\",\"time\":%lld", wall_ms());
  put_text(e, time);
}

void event_int(struct event *e, const char *field, long long value) {
  char text[32];
  snprintf(text, sizeof text, "%lld", value);
  put_key(e, field);
  put_text(e, text);
}

void event_string(struct event *e, const char *field, const char *value) {
  event_bytes(e, field, (const unsigned char *)value, strlen(value));
}

void event_bytes(struct event *e, const char *field, const unsigned char *bytes, size_t length) {
  put_key(e, field);
  put_text(e, "\"");
  put_utf8(e, bytes, length);
  put_text(e, "\"");
}

void event_given_endpoint(struct event *e, const char *field, const char *address, int port) {
  char text[32];
  put_key(e, field);
  put_text(e, "{\"address\":\"");
  put_utf8(e, (const unsigned char *)address, strlen(address));
  snprintf(text, sizeof text, "\",\"port\":%d}", port);
  put_text(e, text);
}

void event_endpoint(struct event *e, const char *field, const struct sockaddr_storage *address) {
  char text[64];
  int port = 0;
  address_format(address, text, sizeof text, &port);
  event_given_endpoint(e, field, text, port);
}

void event_end(struct event *e) {
  put_text(e, "}\n");
  size_t done = 0;
  while (done < e->length) {
    ssize_t written = write(STDOUT_FILENO, e->text + done, e->length - done);
    if (written <= 0) break; /* nobody reads any more: the event is lost, as a closed pipe loses Node's */
    done += (size_t)written;
  }
  free(e->text);
  *e = (struct event){0};
}
