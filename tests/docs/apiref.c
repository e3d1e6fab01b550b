/*
 * apiref: the API reference of libcsat, generated from include/csat.h.
 *
 *   apiref csat.h api.md
 *
 * The header is the one source: this program only rearranges it. It reads
 * the header's parts ("N. Title" between '=' rules) and sections ("---- N.M
 * Title ----"), and writes Markdown: the contents, then per section every
 * documented block (a comment and the declarations, macros or struct that
 * follow it up to the next blank line) as prose and code.
 *
 * It also checks what a reader relies on, and exits 1 naming what fails:
 *  - the table of contents at the top of the header lists exactly the parts
 *    and sections that follow, in order;
 *  - headings have one shape: a part is three lines (a '=' rule, "N. Title",
 *    a '=' rule), a section one line "---- N.M Title ---", each 78 columns
 *    wide; a rule or dashed line of any other shape is a stray heading;
 *  - every exported function (CSAT_EXTERN) sits in a documented block.
 * Not part of the library: a development tool, plain C99 and stdio.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 20000
#define MAX_HEADINGS 200

static char *lines[MAX_LINES];
static int nlines;
static int failures;

static void fail(int line, const char *what, const char *detail) {
  fprintf(stderr, "csat.h:%d: %s%s%s\n", line, what, detail ? ": " : "", detail ? detail : "");
  failures++;
}

static int read_lines(const char *path) {
  FILE *f = fopen(path, "r");
  char buf[4096];
  if (!f) {
    perror(path);
    return -1;
  }
  while (fgets(buf, sizeof buf, f)) {
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
      buf[--n] = 0;
    if (nlines == MAX_LINES) {
      fclose(f);
      fprintf(stderr, "%s: more than %d lines\n", path, MAX_LINES);
      return -1;
    }
    lines[nlines] = malloc(n + 1);
    if (!lines[nlines]) {
      fclose(f);
      return -1;
    }
    memcpy(lines[nlines++], buf, n + 1);
  }
  fclose(f);
  return 0;
}

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c)
    memcpy(c, s, n);
  return c;
}

static int blank(const char *s) {
  while (*s && isspace((unsigned char)*s))
    s++;
  return *s == 0;
}

/* "N. Title" / "N.M Title" inside a heading comment; returns 1 and copies
 * the title (number included), trimmed of the comment marks and rules. */
static int heading_text(const char *l, char *out, size_t cap) {
  const char *p = l, *e;
  size_t n;
  if (strncmp(p, "/* ", 3) != 0)
    return 0;
  p += 3;
  if (strncmp(p, "---- ", 5) == 0)
    p += 5;
  if (!isdigit((unsigned char)*p))
    return 0;
  e = strstr(p, "*/");
  if (!e)
    return 0;
  while (e > p && (e[-1] == ' ' || e[-1] == '-'))
    e--;
  n = (size_t)(e - p);
  if (n + 1 > cap)
    n = cap - 1;
  memcpy(out, p, n);
  out[n] = 0;
  return 1;
}

static int is_rule(const char *l) { return strncmp(l, "/* ====", 7) == 0; }

#define WIDTH 78

/* Headings are found by shape, so a malformed one would silently drop out
 * of the contents check: each must be exactly as agreed, and any other
 * rule-like line (checked in main) is refused. */
static int is_full_rule(const char *l) {
  size_t k, n = strlen(l);
  if (n != WIDTH || strncmp(l, "/* ", 3) != 0 || strcmp(l + n - 3, " */") != 0)
    return 0;
  for (k = 3; k < n - 3; k++)
    if (l[k] != '=')
      return 0;
  return 1;
}

static void check_shape(int i, int level) {
  const char *l = lines[i];
  size_t n = strlen(l);
  if (n != WIDTH)
    fail(i + 1, "a heading line is not 78 columns wide", l);
  if (level == 1) {
    if (!is_full_rule(lines[i - 1]))
      fail(i, "a part's rule is not \"/* \", 72 '=', \" */\"", lines[i - 1]);
    if (!is_full_rule(lines[i + 1]))
      fail(i + 2, "a part's rule is not \"/* \", 72 '=', \" */\"", lines[i + 1]);
    if (strcmp(l + (n >= 3 ? n - 3 : 0), " */") != 0)
      fail(i + 1, "a part's title line does not end in \" */\"", l);
  } else if (n < 6 || strcmp(l + n - 6, "--- */") != 0) {
    fail(i + 1, "a section line does not end in \"--- */\"", l);
  }
}

/* A part: a "N. Title" comment between two = rules. A section: "---- N.M Title ----". */
static int heading_at(int i, char *out, size_t cap, int *level) {
  const char *l = lines[i];
  if (i > 0 && i + 1 < nlines && is_rule(lines[i - 1]) && is_rule(lines[i + 1]) &&
      heading_text(l, out, cap)) {
    *level = 1;
    return 1;
  }
  if (strncmp(l, "/* ---- ", 8) == 0 && heading_text(l, out, cap) && strchr(out, '.') &&
      isdigit((unsigned char)strchr(out, '.')[1])) {
    *level = 2;
    return 1;
  }
  return 0;
}

static char *headings[MAX_HEADINGS];
static int heading_levels[MAX_HEADINGS];
static int nheadings;

static void anchor(FILE *o, const char *t) {
  for (; *t; t++) {
    if (isalnum((unsigned char)*t))
      fputc(tolower((unsigned char)*t), o);
    else if (*t == ' ' || *t == '-')
      fputc('-', o);
  }
}

/* The contents block: lines "  N. Title" / "    N.M Title" between
 * "Contents" and the end of the first comment. */
static void check_contents(void) {
  int i, k = 0, in = 0;
  char want[512];
  for (i = 0; i < nlines && !strstr(lines[i], "*/"); i++) {
    const char *p = lines[i];
    if (strstr(p, " * Contents")) {
      in = 1;
      continue;
    }
    if (!in)
      continue;
    while (*p == ' ' || *p == '*')
      p++;
    if (!isdigit((unsigned char)*p))
      continue;
    if (k >= nheadings) {
      fail(i + 1, "the contents list a heading the header does not have", p);
      continue;
    }
    snprintf(want, sizeof want, "%s", headings[k]);
    if (strcmp(p, want) != 0)
      fail(i + 1, "the contents differ from the headings", want);
    k++;
  }
  if (!in)
    fail(1, "no table of contents (\" * Contents\") in the first comment", NULL);
  else if (k < nheadings)
    fail(1, "the contents miss a heading", headings[k]);
}

/* The C text of a declaration block, comments stripped to their prose. */
static void emit_block(FILE *o, int from, int to) {
  int i, in_comment = 0, code = 0, prose = 0;
  for (i = from; i < to; i++) {
    const char *l = lines[i];
    const char *p = l;
    while (*p == ' ')
      p++;
    if (!code && (in_comment || strncmp(p, "/*", 2) == 0)) {
      const char *t = p;
      if (!in_comment) {
        t += 2;
        while (*t == '*')
          t++;
      } else if (*t == '*' && t[1] != '/') {
        t++;
      }
      in_comment = strstr(t, "*/") == NULL;
      if (*t == ' ')
        t++;
      {
        const char *e = strstr(t, "*/");
        int n = e ? (int)(e - t) : (int)strlen(t);
        while (n > 0 && t[n - 1] == ' ')
          n--;
        if (n > 0) {
          fprintf(o, "%.*s\n", n, t);
          prose = 1;
        }
      }
      continue;
    }
    if (!code) {
      fputs(prose ? "\n```c\n" : "```c\n", o); /* a blank line ends the prose */
      code = 1;
    }
    fprintf(o, "%s\n", l);
  }
  if (code)
    fputs("```\n", o);
  fputc('\n', o);
}

int main(int argc, char **argv) {
  FILE *o;
  int i, level, documented = 0, exported = 0;
  char h[512];
  if (argc != 3) {
    fprintf(stderr, "usage: apiref csat.h out.md\n");
    return 2;
  }
  if (read_lines(argv[1]) != 0)
    return 2;
  for (i = 0; i < nlines; i++) {
    if (heading_at(i, h, sizeof h, &level)) {
      check_shape(i, level);
      if (nheadings == MAX_HEADINGS) {
        fail(i + 1, "too many headings", NULL);
        continue;
      }
      headings[nheadings] = copy(h);
      if (!headings[nheadings])
        return 2;
      heading_levels[nheadings++] = level;
      i += level == 1 ? 1 : 0; /* skip the closing rule */
    } else if (is_rule(lines[i]) && !(i + 2 < nlines && is_rule(lines[i + 2]) &&
                                      heading_at(i + 1, h, sizeof h, &level))) {
      fail(i + 1, "a rule that frames no numbered part", lines[i]);
    } else if (strncmp(lines[i], "/* ---", 6) == 0) {
      fail(i + 1, "a dashed line that is no numbered section (\"/* ---- N.M Title --- */\")",
           lines[i]);
    }
  }
  if (nheadings == 0)
    fail(1, "no numbered parts (\"/* N. Title */\" between '=' rules)", NULL);
  check_contents();

  o = fopen(argv[2], "w");
  if (!o) {
    perror(argv[2]);
    return 2;
  }
  fputs("# libcsat API reference\n\nGenerated from `include/csat.h`, the one source; "
        "read the header for the full text.\n\n## Contents\n\n",
        o);
  for (i = 0; i < nheadings; i++) {
    fprintf(o, "%s- [%s](#", heading_levels[i] == 1 ? "" : "  ", headings[i]);
    anchor(o, headings[i]);
    fputs(")\n", o);
  }
  fputc('\n', o);

  /* Blocks: runs of non-blank lines after the first heading. */
  for (i = 0; i < nlines; i++)
    if (heading_at(i, h, sizeof h, &level))
      break;
  while (i < nlines) {
    int start, end, k, has_doc;
    if (heading_at(i, h, sizeof h, &level)) {
      fprintf(o, "%s %s\n\n", level == 1 ? "##" : "###", h);
      i += level == 1 ? 2 : 1;
      continue;
    }
    if (blank(lines[i]) || is_rule(lines[i]) || strncmp(lines[i], "#endif", 6) == 0 ||
        strncmp(lines[i], "#ifdef __cplusplus", 18) == 0 || strcmp(lines[i], "}") == 0 ||
        strncmp(lines[i], "extern \"C\"", 10) == 0) {
      i++;
      continue;
    }
    start = i;
    while (i < nlines && !blank(lines[i]) && !is_rule(lines[i]) &&
           !heading_at(i, h, sizeof h, &level))
      i++;
    end = i;
    has_doc = strncmp(lines[start], "/*", 2) == 0;
    for (k = start; k < end; k++)
      if (strncmp(lines[k], "CSAT_EXTERN ", 12) == 0) {
        exported++;
        if (has_doc)
          documented++;
        else
          fail(k + 1, "an exported function without a comment above its block", lines[k]);
      }
    emit_block(o, start, end);
  }
  if (fclose(o) != 0) {
    perror(argv[2]);
    return 2;
  }
  printf("apiref: %d parts and sections, %d of %d exported functions documented -> %s\n", nheadings,
         documented, exported, argv[2]);
  for (i = 0; i < nheadings; i++)
    free(headings[i]);
  for (i = 0; i < nlines; i++)
    free(lines[i]);
  return failures ? 1 : 0;
}
