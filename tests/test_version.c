/* The version at run time agrees with the header and with the version CMake
 * configured (read from the header): csat_version, csat_version_num,
 * CSAT_VERSION_STRING and the components. The copies in other files are
 * checked by the version_copies test (tests/check_version.cmake). */
#include "check.h"

#include <csat.h>
#include <stdio.h>

int main(void) {
  char parts[64];
  snprintf(parts, sizeof parts, "%d.%d.%d", CSAT_VERSION_MAJOR, CSAT_VERSION_MINOR,
           CSAT_VERSION_PATCH);
  CHECK_STR(CSAT_VERSION_STRING, parts);
  CHECK_STR(csat_version(), CSAT_VERSION_STRING);
  CHECK_INT(csat_version_num(), CSAT_VERSION_NUM);
  CHECK_INT(csat_version_num(), ((uint32_t)CSAT_VERSION_MAJOR << 16) |
                                    ((uint32_t)CSAT_VERSION_MINOR << 8) |
                                    (uint32_t)CSAT_VERSION_PATCH);
  /* The project version the build was configured with (CMakeLists.txt). */
  CHECK_STR(CSAT_PROJECT_VERSION, csat_version());
  return CHECK_DONE();
}
