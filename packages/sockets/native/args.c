/* The command-line rules of parse-flags.ts, checked-values.ts and parse-args.ts, with their sentences. */
#include "args.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"

static int find_flag(const struct flag_spec *flags, int count, const char *name, size_t length) {
  for (int i = 0; i < count; i++) {
    if (strlen(flags[i].name) == length && strncmp(flags[i].name, name, length) == 0) return i;
  }
  return -1;
}

static bool unknown(const char *raw, char *mistake) {
  snprintf(mistake, MISTAKE_SIZE,
           "Unknown option '%s'. To specify a positional argument starting with a '-', place it at the end of the "
           "command after '--', as in '-- \"%s\"",
           raw, raw);
  return false;
}

/* One option word (`--name`, `--name=value`, `-h`): stored, or the sentence of parseArgs's refusal. */
static bool long_option(const char *arg, const char *next_value, const struct flag_spec *flags, int count,
                        struct parsed_args *out, char *mistake) {
  const char *name = arg + 2;
  const char *equals = strchr(name, '=');
  size_t length = equals == NULL ? strlen(name) : (size_t)(equals - name);
  const char *value = equals == NULL ? next_value : equals + 1;
  char raw[256];
  snprintf(raw, sizeof raw, "--%.*s", (int)length, name);
  if (length == 4 && strncmp(name, "help", 4) == 0) {
    if (value != NULL) {
      snprintf(mistake, MISTAKE_SIZE, "Option '-h, --help' does not take an argument");
      return false;
    }
    out->help = true;
    return true;
  }
  int index = find_flag(flags, count, name, length);
  if (index < 0) return unknown(raw, mistake);
  if (flags[index].takes_value && value == NULL) {
    snprintf(mistake, MISTAKE_SIZE, "Option '%s <value>' argument missing", raw);
    return false;
  }
  if (!flags[index].takes_value && value != NULL) {
    snprintf(mistake, MISTAKE_SIZE, "Option '%s' does not take an argument", raw);
    return false;
  }
  out->values[index] = flags[index].takes_value ? value : "true";
  return true;
}

bool args_parse(int argc, char **argv, const struct flag_spec *flags, int flag_count, struct parsed_args *out,
                char *mistake) {
  memset(out, 0, sizeof *out);
  out->positionals = calloc((size_t)argc + 1, sizeof *out->positionals);
  bool rest_positional = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (rest_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
      out->positionals[out->positional_count++] = arg;
    } else if (strcmp(arg, "--") == 0) {
      rest_positional = true;
    } else if (arg[1] == '-') {
      /* A value-taking flag takes the next word as its value, even one that starts with a dash. */
      int index = find_flag(flags, flag_count, arg + 2, strlen(arg + 2));
      const char *next = index >= 0 && flags[index].takes_value && i + 1 < argc ? argv[++i] : NULL;
      if (!long_option(arg, next, flags, flag_count, out, mistake)) return false;
    } else {
      /* Short options: only -h is known (a group such as -hh is each of its letters). */
      for (const char *letter = arg + 1; *letter != '\0'; letter++) {
        char raw[3] = {'-', *letter, '\0'};
        if (*letter != 'h') return unknown(raw, mistake);
        out->help = true;
      }
    }
  }
  return true;
}

static bool matches_number(const char *text, bool integer) {
  const char *c = text;
  if (*c == '-') c++;
  if (!isdigit((unsigned char)*c)) return false;
  while (isdigit((unsigned char)*c)) c++;
  if (!integer && *c == '.') {
    c++;
    if (!isdigit((unsigned char)*c)) return false;
    while (isdigit((unsigned char)*c)) c++;
  }
  return *c == '\0';
}

bool number_flag(const char *text, const char *flag, long min, long max, bool integer, double *out, char *mistake) {
  if (text == NULL) return true;
  double value = matches_number(text, integer) ? strtod(text, NULL) : 0;
  if (!matches_number(text, integer) || value < (double)min || value > (double)max) {
    snprintf(mistake, MISTAKE_SIZE, "--%s must be %s from %ld to %ld, not '%s'", flag,
             integer ? "an integer" : "a number", min, max, text);
    return false;
  }
  *out = value;
  return true;
}

bool word_flag(const char *text, const char *flag, const char *const *words, int *out, char *mistake) {
  *out = -1;
  if (text == NULL) return true;
  char list[128] = "";
  for (int i = 0; words[i] != NULL; i++) {
    if (strcmp(words[i], text) == 0) {
      *out = i;
      return true;
    }
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i == 0 ? "" : ", ", words[i]);
  }
  snprintf(mistake, MISTAKE_SIZE, "--%s must be one of %s, not '%s'", flag, list, text);
  return false;
}

bool port_arg(const char *text, const char *what, int min, int *out, char *mistake) {
  if (text == NULL) {
    snprintf(mistake, MISTAKE_SIZE, "missing %s", what);
    return false;
  }
  size_t length = strlen(text);
  bool digits = length >= 1 && length <= 5;
  for (size_t i = 0; i < length && digits; i++) digits = isdigit((unsigned char)text[i]);
  long value = digits ? strtol(text, NULL, 10) : -1;
  if (!digits || value > 65535 || value < min) {
    snprintf(mistake, MISTAKE_SIZE, "%s must be an integer from %d to 65535%s, not '%s'", what, min,
             min > 0 ? " to connect to it" : "", text);
    return false;
  }
  *out = (int)value;
  return true;
}

bool address_arg(const char *text, const char *what, char *mistake) {
  bool ipv6 = false;
  if (text == NULL) {
    snprintf(mistake, MISTAKE_SIZE, "missing %s", what);
    return false;
  }
  if (!address_valid(text, &ipv6)) {
    snprintf(mistake, MISTAKE_SIZE, "%s must be an IPv4 or IPv6 address, not '%s'", what, text);
    return false;
  }
  return true;
}

bool no_more_args(const struct parsed_args *args, int taken, char *mistake) {
  if (args->positional_count <= taken) return true;
  snprintf(mistake, MISTAKE_SIZE, "unexpected argument '%s'", args->positionals[taken]);
  return false;
}
