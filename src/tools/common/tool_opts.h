/*
 * csat_toolkit: long-option parsing and bounded decimal numbers for the
 * programs in src/tools.
 *
 * Host-side helper (not part of libcsat, not installed). Options are long
 * only, `--name value` or `--name=value`; a flag takes no value. Parsing
 * stops at `--` (skipped) or at the first argument that does not start with
 * `--` (a program's operands, e.g. a message's words). `--help` anywhere
 * among the options asks for help. An option given twice keeps its last
 * value. Values point into argv (nothing is copied or allocated). Errors
 * name the option, e.g. "option --to needs a value", in the caller's buffer.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TOOL_OPTS_H
#define CSAT_TOOL_OPTS_H

#include <stddef.h>
#include <stdint.h>

/* One option. Set `name` and exactly one destination: `str` for an option
 * with a text value, `flag` for one without (set to 1), `num` for a whole
 * decimal number in 0..max (max 0 means INT64_MAX). `given`, if set, is
 * set to 1 when the option appears. */
typedef struct tool_opt {
  const char *name; /* without the leading "--" */
  const char **str;
  int *flag;
  int64_t *num;
  int64_t max;
  int *given;
} tool_opt;

#define TOOL_OPTS_OK 0       /* parsed; *rest is the index of the first operand */
#define TOOL_OPTS_HELP 1     /* --help was given: print the usage, exit 0 */
#define TOOL_OPTS_ERROR (-1) /* err holds a message naming the option */

/*
 * Parse argv[first..argc) against the n options of spec. Destinations of
 * options not given are left as they are (set defaults before). On
 * TOOL_OPTS_OK, *rest is the index of the first operand (argc if none).
 * err (errcap bytes, may be 0) gets a one-line message on TOOL_OPTS_ERROR,
 * also for a spec entry with not exactly one destination.
 */
int tool_opts_parse(const tool_opt *spec, size_t n, int argc, char **argv, int first, int *rest,
                    char *err, size_t errcap);

/* A whole decimal number: digits only (no sign, space or base prefix), at
 * most max (max < 0 is treated as 0). 0 and *out set, or -1 (*out
 * unchanged) for an empty string, another character or a value over max.
 * Locale-independent, unlike strtol. */
int tool_parse_uint(const char *s, int64_t max, int64_t *out);

#endif
