/* The named-test runner of registry.h.
 * SPDX-License-Identifier: MIT */
#include "registry.h"

#include <stdio.h>
#include <string.h>

static void drop_args(int *argc, char **argv, int at, int count) {
  int i;
  for (i = at; i + count <= *argc; i++)
    argv[i] = argv[i + count];
  *argc -= count;
}

int test_flag(int *argc, char **argv, const char *flag) {
  int i;
  for (i = 1; i < *argc; i++) {
    if (strcmp(argv[i], flag) == 0) {
      drop_args(argc, argv, i, 1);
      return 1;
    }
  }
  return 0;
}

const char *test_option(int *argc, char **argv, const char *name) {
  int i;
  for (i = 1; i + 1 < *argc; i++) {
    if (strcmp(argv[i], name) == 0) {
      const char *v = argv[i + 1];
      drop_args(argc, argv, i, 2);
      return v;
    }
  }
  return NULL;
}

int test_main(int argc, char **argv, const test_case *tests, size_t n) {
  const char *filter = NULL;
  size_t i, ran = 0;
  int a;
  for (a = 1; a < argc; a++) {
    if (strcmp(argv[a], "--list") == 0) {
      for (i = 0; i < n; i++)
        printf("%s\n", tests[i].name);
      return 0;
    }
    if (strcmp(argv[a], "-h") == 0 || strcmp(argv[a], "--help") == 0) {
      printf("usage: %s [--list] [filter]\n"
             "runs the test cases whose name contains filter (all without one)\n",
             argv[0]);
      return 0;
    }
    if (argv[a][0] == '-' || filter != NULL) {
      fprintf(stderr, "%s: unexpected argument %s (try --help)\n", argv[0], argv[a]);
      return 2;
    }
    filter = argv[a];
  }
  for (i = 0; i < n; i++) {
    int before = check_failures;
    if (filter != NULL && strstr(tests[i].name, filter) == NULL)
      continue;
    ran++;
    tests[i].fn();
    if (check_failures != before)
      fprintf(stderr, "FAILED: %s (%d failed checks)\n", tests[i].name, check_failures - before);
  }
  if (ran == 0) {
    fprintf(stderr, "%s: no test case matches \"%s\" (try --list)\n", argv[0], filter);
    return 2;
  }
  return check_done();
}
