/* Assertion helpers for libcsat's tests: a failed check prints where and
 * why, and the program exits non-zero at the end (registry.h prints the
 * summary). The counters live in check.c, one pair per test program.
 * SPDX-License-Identifier: MIT */
#ifndef CSAT_TEST_CHECK_H
#define CSAT_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int check_failures;
extern int check_count;

#define CHECK(cond)                                                            \
  do {                                                                         \
    check_count++;                                                             \
    if (!(cond)) {                                                             \
      check_failures++;                                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_INT(a, b)                                                                       \
  do {                                                                                        \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);                           \
    check_count++;                                                                            \
    if (check_a_ != check_b_) {                                                               \
      check_failures++;                                                                       \
      fprintf(stderr, "%s:%d: CHECK_INT failed: %s == %lld, expected %s == %lld\n", __FILE__, \
              __LINE__, #a, check_a_, #b, check_b_);                                          \
    }                                                                                         \
  } while (0)

#define CHECK_STR(a, b)                                                                        \
  do {                                                                                         \
    const char *check_a_ = (a), *check_b_ = (b);                                               \
    check_count++;                                                                             \
    if (check_a_ == NULL || check_b_ == NULL || strcmp(check_a_, check_b_)) {                  \
      check_failures++;                                                                        \
      fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:      \"%s\"\n  expected: \"%s\"\n", \
              __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)",                          \
              check_b_ ? check_b_ : "(null)");                                                 \
    }                                                                                          \
  } while (0)

/* CSAT_TEST_QUICK (set by .ci/run for the valgrind run): the heavy loops of
 * a test take fewer repetitions of the same code paths. */
#define CHECK_QUICK() (getenv("CSAT_TEST_QUICK") != NULL)

/* Print "N checks, M failed" and give the exit status. */
int check_done(void);
#define CHECK_DONE() check_done()

#endif
