/* The shared main of the two programs, as run-program.ts and program-config.ts. */
#include "program.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t arrived = 0;

static void on_signal(int number) { arrived = number; }

void program_answer_usage(const char *name, const char *usage, bool help, const char *mistake) {
  if (help) {
    fputs(usage, stdout);
    exit(0);
  }
  fprintf(stderr, "%s: %s\n\n%s", name, mistake, usage);
  exit(2);
}

/* The wake interval as Number() reads it: an integer from 1 to 60000, else the program is refused. */
static int wake_ms(const char *name) {
  const char *text = getenv("SOCKSPEC_PROGRAM_WAKE_MS");
  if (text == NULL || text[0] == '\0') return -1;
  char *end = NULL;
  double value = strtod(text, &end);
  while (end != NULL && (*end == ' ' || *end == '\t' || *end == '\n')) end++;
  if (end == text || *end != '\0' || value != floor(value) || value < 1 || value > 60000) {
    fprintf(stderr, "%s: SOCKSPEC_PROGRAM_WAKE_MS must be an integer from 1 to 60000, not '%s'\n", name, text);
    exit(2);
  }
  return (int)value;
}

int program_setup(const char *name) {
  int wake = wake_ms(name);
  /* Held from the start: a signal sent as soon as `listening` is printed ends the program cleanly too. */
  sigset_t held;
  sigemptyset(&held);
  sigaddset(&held, SIGTERM);
  sigaddset(&held, SIGINT);
  sigprocmask(SIG_BLOCK, &held, NULL);
  struct sigaction action = {0};
  action.sa_handler = on_signal;
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  /* A reader gone from stdout must not kill the program mid-event (Node ignores SIGPIPE too). */
  signal(SIGPIPE, SIG_IGN);
  return wake;
}

long long monotonic_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int program_wait(struct pollfd *fds, nfds_t count, long long timeout_ms, const char **signal) {
  sigset_t open;
  sigemptyset(&open);
  struct timespec timeout = {0};
  if (timeout_ms >= 0) {
    timeout.tv_sec = timeout_ms / 1000;
    timeout.tv_nsec = (timeout_ms % 1000) * 1000000;
  }
  int ready = ppoll(fds, count, timeout_ms < 0 ? NULL : &timeout, &open);
  if (arrived != 0) {
    *signal = arrived == SIGTERM ? "SIGTERM" : "SIGINT";
    return ready < 0 ? 0 : ready;
  }
  if (ready < 0 && errno == EINTR) return 0;
  return ready;
}
