/* The check counters of one test program (see check.h).
 * SPDX-License-Identifier: MIT */
#include "check.h"

int check_failures = 0;
int check_count = 0;

int check_done(void) {
  printf("%d checks, %d failed\n", check_count, check_failures);
  return check_failures ? 1 : 0;
}
