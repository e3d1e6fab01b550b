/*
 * Named test cases, so that one can run alone:
 *
 *   TEST(periods) { CHECK(...); }
 *   static const test_case tests[] = {TEST_ENTRY(periods), ...};
 *   TEST_MAIN(tests)
 *
 * The program then takes `[filter]` (run the cases whose name contains it),
 * `--list` (print the names) and `--help`; it prints "N checks, M failed"
 * and exits 1 when a check failed, 2 on a usage error or when no case
 * matches the filter. A program with options of its own takes them out of
 * argv first (test_flag, test_option) and calls test_main itself.
 * SPDX-License-Identifier: MIT
 */
#ifndef CSAT_TEST_REGISTRY_H
#define CSAT_TEST_REGISTRY_H

#include "check.h"

#include <stddef.h>

typedef struct test_case {
  const char *name;
  void (*fn)(void);
} test_case;

#define TEST(name) static void test_##name(void)
#define TEST_ENTRY(name) \
  { #name, test_##name }
#define TEST_COUNT(table) (sizeof(table) / sizeof((table)[0]))
#define TEST_MAIN(table) \
  int main(int argc, char **argv) { return test_main(argc, argv, table, TEST_COUNT(table)); }

int test_main(int argc, char **argv, const test_case *tests, size_t n);

/* Remove `flag` from argv (adjusting *argc); 1 when it was there. */
int test_flag(int *argc, char **argv, const char *flag);
/* Remove `name VALUE` from argv and return VALUE, or NULL when absent. */
const char *test_option(int *argc, char **argv, const char *name);

#endif
