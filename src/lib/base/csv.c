/* CSV text cells (RFC 4180) with the spreadsheet formula guard, for every
 * CSV the library writes (result records, aggregation reports).
 * SPDX-License-Identifier: MIT
 */
#include "base.h"

static int csv_needs_quotes(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
      return 1;
  return 0;
}

/* s[0..n) with every double quote doubled (inside a quoted cell). */
static void csv_doubled(csat__put_fn put, void *ctx, const char *s, size_t n) {
  size_t i, start = 0;
  for (i = 0; i < n; i++)
    if (s[i] == '"') {
      put(ctx, s + start, i + 1 - start); /* up to and with the quote */
      start = i;                          /* ...which is written again */
    }
  put(ctx, s + start, n - start);
}

void csat__csv_text(csat__put_fn put, void *ctx, const char *a, size_t na, const char *b,
                    size_t nb) {
  char c0 = na > 0 ? a[0] : nb > 0 ? b[0] : '\0';
  /* A spreadsheet may run a cell starting with one of these as a formula
   * (OWASP's list for CSV injection): a leading single quote keeps it text. */
  int guard = c0 == '=' || c0 == '+' || c0 == '-' || c0 == '@' || c0 == '\t' || c0 == '\r';
  int quote = csv_needs_quotes(a, na) || csv_needs_quotes(b, nb);
  if (quote)
    put(ctx, "\"", 1);
  if (guard)
    put(ctx, "'", 1);
  if (quote) {
    csv_doubled(put, ctx, a, na);
    csv_doubled(put, ctx, b, nb);
    put(ctx, "\"", 1);
  } else {
    put(ctx, a, na);
    put(ctx, b, nb);
  }
}

void csat__out_csv_text(csat__out *o, const char *a, size_t na, const char *b, size_t nb) {
  csat__csv_text(csat__out_put, o, a, na, b, nb);
}
