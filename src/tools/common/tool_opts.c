/*
 * csat_toolkit: long options and decimal numbers (tool_opts.h).
 * SPDX-License-Identifier: MIT
 */
#include "tool_opts.h"

#include <stdio.h>
#include <string.h>

int tool_parse_uint(const char *s, int64_t max, int64_t *out) {
  int64_t v = 0;
  if (max < 0)
    max = 0;
  if (*s == '\0')
    return -1;
  for (; *s; s++) {
    int d = *s - '0';
    if (*s < '0' || *s > '9' || v > max / 10 || v * 10 > max - d)
      return -1;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

/* "<before> --<name><after>" into err. */
static int fail(char *err, size_t errcap, const char *before, const char *name, size_t nlen,
                const char *after) {
  if (errcap > 0)
    snprintf(err, errcap, "%s --%.*s%s", before, (int)nlen, name, after);
  return TOOL_OPTS_ERROR;
}

int tool_opts_parse(const tool_opt *spec, size_t n, int argc, char **argv, int first, int *rest,
                    char *err, size_t errcap) {
  int i;
  if (errcap > 0)
    err[0] = '\0';
  for (i = first; i < argc; i++) {
    const char *a = argv[i], *name, *eq, *val = NULL;
    const tool_opt *o = NULL;
    size_t nlen, k;
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
      break; /* the first operand */
    name = a + 2;
    eq = strchr(name, '=');
    nlen = eq ? (size_t)(eq - name) : strlen(name);
    if (nlen == 4 && strncmp(name, "help", 4) == 0) {
      if (eq)
        return fail(err, errcap, "option", name, nlen, " takes no value");
      return TOOL_OPTS_HELP;
    }
    for (k = 0; k < n && o == NULL; k++)
      if (strlen(spec[k].name) == nlen && strncmp(spec[k].name, name, nlen) == 0)
        o = &spec[k];
    if (o == NULL)
      return fail(err, errcap, "unknown option", name, nlen, "");
    if ((o->str != NULL) + (o->flag != NULL) + (o->num != NULL) != 1)
      return fail(err, errcap, "option", name, nlen, ": not exactly one destination (a bug)");
    if (o->flag != NULL) {
      if (eq)
        return fail(err, errcap, "option", name, nlen, " takes no value");
      *o->flag = 1;
    } else {
      if (eq)
        val = eq + 1;
      else if (i + 1 < argc)
        val = argv[++i];
      else
        return fail(err, errcap, "option", name, nlen, " needs a value");
      if (o->str != NULL) {
        *o->str = val;
      } else if (tool_parse_uint(val, o->max > 0 ? o->max : INT64_MAX, o->num) != 0) {
        char range[64];
        snprintf(range, sizeof range, "%lld", (long long)(o->max > 0 ? o->max : INT64_MAX));
        if (errcap > 0)
          snprintf(err, errcap, "option --%.*s needs a whole number from 0 to %s, not '%s'",
                   (int)nlen, name, range, val);
        return TOOL_OPTS_ERROR;
      }
    }
    if (o->given != NULL)
      *o->given = 1;
  }
  *rest = i;
  return TOOL_OPTS_OK;
}
