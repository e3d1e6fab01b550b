/*
 * Seed generator for the aggregator fuzz targets: writes
 *   <dir>/fuzz_agg_ingest/gen-NN  row scripts in fza_decode's format
 *   <dir>/fuzz_agg_blob/gen-NN    [config byte] + a saved aggregator, made
 *                                 by ingesting such a script
 * deterministically (a fixed xorshift stream). Built as fuzz_gen_agg_corpus;
 * run it again when the formats change:
 *     build/fuzz/fuzz_gen_agg_corpus fuzz/corpus
 * (ctest fuzz_agg_corpus_fresh fails until then).
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz_agg.h"
#include "gen_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545f4914f6cdd1dull;
static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

/* One row; hostile makes some fields invalid. Indexes as in fuzz_agg.h:
 * values 0..14 valid and printable, comments 0..9 and 11..15 valid. */
static void row(gen_buf *b, int fast, int hostile) {
  int k;
  gen_put(b, (unsigned)fast);
  if (hostile && rnd(4) == 0) {
    gen_put(b, rnd(8));
  } else {
    gen_put(b, 8 + rnd(248));
    gen_put(b, rnd(256));
  }
  for (k = 0; k < 7; k++) {
    if (hostile && rnd(8) == 0)
      gen_put(b, 15 + rnd(10)); /* formula, control and invalid UTF-8 values */
    else
      gen_put(b, rnd(12));
  }
  gen_put(b, hostile ? rnd(8) : 1 + rnd(3));
  gen_put(b, hostile && rnd(6) == 0 ? 0xf0 + rnd(8) : rnd(0xf0));
  gen_put(b, hostile && rnd(6) == 0 ? 0xe0 + rnd(8) : rnd(0xe0));
  if (hostile && rnd(5) == 0) {
    unsigned n = 1 + rnd(6), i;
    gen_put(b, 0xf0 + n);
    for (i = 0; i < 4 * n; i++)
      gen_put(b, rnd(256));
  } else {
    unsigned c = rnd(16);
    gen_put(b, c == 10 ? 2 : c);
  }
  gen_put(b, rnd(0xc0));
  gen_put(b, rnd(2));
  gen_put(b, 1 + rnd(4));
  gen_put(b, rnd(20));
  gen_put(b, rnd(20));
}

/* <dir>/<sub>/gen-NN */
static void write_seed(const char *dir, const char *sub, int k, const void *p, size_t n) {
  char name[16];
  snprintf(name, sizeof name, "gen-%02d", k);
  gen_write(dir, sub, name, p, n);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "fuzz/corpus";
  int k;
  /* ingest scripts */
  for (k = 0; k < 12; k++) {
    gen_buf b;
    int r, rows = 2 + rnd(k < 6 ? 6 : 24);
    gen_buf_reset(&b, sizeof b.p);
    gen_put(&b, (unsigned)(k % FZA_NCFG) | (rnd(32) << 3));
    gen_put(&b, k & 1 ? 0x80 | rnd(128) : rnd((unsigned)rows + 1));
    for (r = 0; r < rows; r++)
      row(&b, rnd(3) == 0, k >= 6);
    write_seed(dir, "fuzz_agg_ingest", k, b.p, b.n);
  }
  /* saved aggregators: two per configuration, then four mismatched ones */
  for (k = 0; k < 16; k++) {
    unsigned sel = (unsigned)(k % FZA_NCFG), op = k < 12 ? sel : (sel + 1) % FZA_NCFG;
    csat_agg *a = fza_new(sel, 1);
    gen_buf b;
    fz_in in;
    fza_row fr;
    unsigned char *blob, *out;
    size_t len;
    int r, rows = 4 + rnd(k < 6 ? 12 : 60);
    gen_buf_reset(&b, sizeof b.p);
    for (r = 0; r < rows; r++)
      row(&b, rnd(3) == 0, 0);
    in.p = b.p;
    in.n = b.n;
    in.i = 0;
    while (fz_more(&in)) {
      fza_decode(&in, &fr);
      (void)fza_ingest(a, &fr, 1);
    }
    blob = fza_save(a, &len);
    out = malloc(len + 1);
    if (out == NULL)
      return 1;
    out[0] = (unsigned char)(op | (rnd(32) << 3));
    memcpy(out + 1, blob, len);
    if (len + 1 > 65536)
      fprintf(stderr, "gen_agg_corpus: blob %d is %zu bytes\n", k, len);
    write_seed(dir, "fuzz_agg_blob", k, out, len + 1);
    free(out);
    free(blob);
    csat_agg_free(a);
  }
  return 0;
}
