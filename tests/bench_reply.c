/*
 * Replies understood per second, single core, on a realistic mixed corpus:
 * bare digits (most SMS replies), digits with comments, number words in five
 * languages, keycap and star emoji, Cyrillic and Hangul, yes/no, opt-outs and
 * unreadable text. Prints the figure; never fails on speed.
 *   bench_reply [seconds]    (default 2)
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include "csat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct sample {
  int32_t kind, min, max;
  const char *text;
} sample;

/* Roughly the mix a CSI SMS service sees: most replies are a bare digit. */
static const sample corpus[] = {
    {CSAT_Q_RATING, 1, 5, "5"},
    {CSAT_Q_RATING, 1, 5, "4"},
    {CSAT_Q_RATING, 1, 5, "5"},
    {CSAT_Q_RATING, 1, 5, "3"},
    {CSAT_Q_RATING, 1, 5, " 5 "},
    {CSAT_Q_RATING, 1, 5, "5!"},
    {CSAT_Q_RATING, 1, 5, "4."},
    {CSAT_Q_RATING, 0, 10, "10"},
    {CSAT_Q_RATING, 0, 10, "9"},
    {CSAT_Q_RATING, 1, 5, "5"},
    {CSAT_Q_RATING, 1, 5,
     "4. \xd0\x9e\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb0\xd1\x82\xd0\xbe\xd1\x80 "
     "\xd0\xb1\xd1\x8b\xd0\xbb \xd0\xb2\xd0\xb5\xd0\xb6\xd0\xbb\xd0\xb8\xd0"
     "\xb2, \xd0\xbd\xd0\xbe \xd0\xb4\xd0\xbe\xd0\xbb\xd0\xb3\xd0\xbe "
     "\xd0\xbf\xd1\x80\xd0\xb8\xd1\x88\xd0\xbb\xd0\xbe\xd1\x81\xd1\x8c "
     "\xd0\xb6\xd0\xb4\xd0\xb0\xd1\x82\xd1\x8c."},
    {CSAT_Q_RATING, 1, 5, "5!!! thanks"},
    {CSAT_Q_RATING, 1, 5, "3 - slow"},
    {CSAT_Q_RATING, 1, 5, "4/5"},
    {CSAT_Q_RATING, 1, 5, "4 out of 5"},
    {CSAT_Q_RATING, 1, 5, "4 \xd0\xb8\xd0\xb7 5"}, /* 4 из 5 */
    {CSAT_Q_RATING, 1, 5, "Five"},
    {CSAT_Q_RATING, 1, 5, "\xd0\xbf\xd1\x8f\xd1\x82\xd1\x8c"}, /* пять */
    {CSAT_Q_RATING, 1, 5, "\xd0\x9f\xd1\x8f\xd1\x82\xd1\x91\xd1\x80\xd0\xba\xd0\xb0"}, /* Пятёрка */
    {CSAT_Q_RATING, 1, 5, "pi\xc4\x99\xc4\x87"},                                       /* pięć */
    {CSAT_Q_RATING, 1, 5, "\xeb\x8b\xa4\xec\x84\xaf"},                                 /* 다섯 */
    {CSAT_Q_RATING, 1, 5, "5\xec\xa0\x90"},                                            /* 5점 */
    {CSAT_Q_RATING, 1, 5, "besh"},
    {CSAT_Q_RATING, 1, 5, "to'rt"},
    {CSAT_Q_RATING, 1, 5, "\xd0\xb1\xd0\xb5\xd1\x88"},                         /* беш */
    {CSAT_Q_RATING, 1, 5, "4\xef\xb8\x8f\xe2\x83\xa3"},                        /* 4️⃣ */
    {CSAT_Q_RATING, 1, 5, "\xe2\xad\x90\xe2\xad\x90\xe2\xad\x90\xe2\xad\x90"}, /* ⭐⭐⭐⭐ */
    {CSAT_Q_RATING, 1, 5, "\xef\xbc\x95"},                                     /* ５ */
    {CSAT_Q_RATING, 1, 5, "great service 5"},
    {CSAT_Q_RATING, 1, 5, "4 or 5"},
    {CSAT_Q_RATING, 1, 5, "45"},
    {CSAT_Q_RATING, 1, 5, "0"},
    {CSAT_Q_RATING, 1, 5,
     "\xd0\xa1\xd0\xbf\xd0\xb0\xd1\x81\xd0\xb8\xd0\xb1\xd0\xbe, "
     "\xd0\xb2\xd1\x81\xd1\x91 \xd1\x85\xd0\xbe\xd1\x80\xd0\xbe\xd1\x88"
     "\xd0\xbe"}, /* Спасибо, всё хорошо */
    {CSAT_Q_RATING, 1, 5, "STOP"},
    {CSAT_Q_RATING, 1, 5, "\xd0\xa1\xd0\xa2\xd0\x9e\xd0\x9f"}, /* СТОП */
    {CSAT_Q_RATING, 1, 5,
     "4\xec\xa0\x90, \xec\x83\x81\xeb\x8b\xb4\xec\x9b\x90\xec\x9d\xb4 "
     "\xec\xb9\x9c\xec\xa0\x88\xed\x96\x88\xec\x96\xb4\xec\x9a\x94"},
    {CSAT_Q_YES_NO, 0, 1, "yes"},
    {CSAT_Q_YES_NO, 0, 1, "\xd0\xb4\xd0\xb0"}, /* да */
    {CSAT_Q_YES_NO, 0, 1, "\xeb\x84\xa4"},     /* 네 */
    {CSAT_Q_YES_NO, 0, 1, "yo'q"},
    {CSAT_Q_TEXT_COMMENT, 0, 0, "The operator was polite but I waited a long time."},
    {CSAT_Q_RATING, 1, 5, "5"},
    {CSAT_Q_RATING, 1, 5, "4"},
    {CSAT_Q_RATING, 1, 5, "5"},
};

#define N_SAMPLES (sizeof corpus / sizeof corpus[0])

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0, t0, t;
  size_t lens[N_SAMPLES], i, bytes = 0;
  unsigned long long done = 0, sink = 0;
  csat_reply r;
  r.struct_size = sizeof r;
  for (i = 0; i < N_SAMPLES; i++) {
    lens[i] = strlen(corpus[i].text);
    bytes += lens[i];
  }
  t0 = now_s();
  do {
    int rep;
    for (rep = 0; rep < 1000; rep++)
      for (i = 0; i < N_SAMPLES; i++) {
        csat_reply_parse(corpus[i].text, lens[i], corpus[i].kind, corpus[i].min, corpus[i].max, &r);
        sink += (unsigned long long)(r.kind + r.score) + r.comment_length;
      }
    done += 1000 * N_SAMPLES;
    t = now_s() - t0;
  } while (t < seconds);
  printf("bench_reply: %zu messages (mean %.1f bytes), %llu replies in %.2f s\n", N_SAMPLES,
         (double)bytes / (double)N_SAMPLES, done, t);
  printf("bench_reply: %.2f million replies/s (single core)\n", (double)done / t / 1e6);
  return sink == 42 ? 1 : 0;
}
