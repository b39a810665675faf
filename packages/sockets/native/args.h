/* Reading a command line as @sockspec/command-line does (Node's parseArgs, strict), with the same sentences. */
#ifndef SOCKSPEC_ARGS_H
#define SOCKSPEC_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_FLAGS 16
#define MISTAKE_SIZE 1024

struct flag_spec {
  const char *name;
  /** A flag with a value (`--backlog 2`, `--backlog=2`), or a switch (`--reuseaddr`). */
  bool takes_value;
};

struct parsed_args {
  /** Each flag's last value, by its index in the specs: its text, "true" for a switch, NULL when absent. */
  const char *values[MAX_FLAGS];
  const char **positionals;
  int positional_count;
  bool help;
};

/** Reads flags and positionals; false with the first mistake's sentence in `mistake`. */
bool args_parse(int argc, char **argv, const struct flag_spec *flags, int flag_count, struct parsed_args *out,
                char *mistake);
/** A flag's number in [min, max] (decimal only); true and *out untouched when the flag is absent. */
bool number_flag(const char *text, const char *flag, long min, long max, bool integer, double *out, char *mistake);
/** A flag's value, one of `words` (NULL-terminated); *out is its index, or -1 when absent. */
bool word_flag(const char *text, const char *flag, const char *const *words, int *out, char *mistake);
/** A TCP port from `min` to 65535. */
bool port_arg(const char *text, const char *what, int min, int *out, char *mistake);
/** An IPv4 or IPv6 address. */
bool address_arg(const char *text, const char *what, char *mistake);
/** Refuses positionals beyond the first `taken`. */
bool no_more_args(const struct parsed_args *args, int taken, char *mistake);

#endif
