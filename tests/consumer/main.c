/* A program that uses an installed libcsat the way a host project would. */
#include <csat.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  const char *nomem = csat_strerror(CSAT_ERR_NOMEM);
  printf("libcsat %s (built against %s): %s\n", csat_version(), CSAT_VERSION_STRING, nomem);
  if (strcmp(csat_version(), CSAT_VERSION_STRING) != 0 || nomem == NULL || nomem[0] == '\0')
    return 1;
  return 0;
}
