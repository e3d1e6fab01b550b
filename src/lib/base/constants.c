/* Name <-> value lookups of the integer constants of csat.h. The table,
 * constants_table.inc, is generated from the header by cmake/gen_constants.cmake;
 * a row's value is the macro itself, so the compiler computes it.
 * SPDX-License-Identifier: MIT */
#include "base.h"

#include <string.h>

typedef struct csat__constant {
  const char *name;
  const char *family;
  int64_t value;
} csat__constant;

/* #name is not macro-expanded, (name) is: the row gets both. */
#define CSAT__CONSTANT(name, family) {#name, family, (int64_t)(name)},
static const csat__constant constants[] = {
#include "constants_table.inc"
};
#undef CSAT__CONSTANT

#define CONSTANT_COUNT (sizeof constants / sizeof constants[0])

const char *csat_constant_name(const char *family, int64_t value) {
  size_t i;
  if (family == NULL || family[0] == '\0')
    return NULL; /* "" groups limits and bounds, not an enumeration */
  for (i = 0; i < CONSTANT_COUNT; i++)
    if (constants[i].value == value && strcmp(constants[i].family, family) == 0)
      return constants[i].name;
  return NULL;
}

int csat_constant_value(const char *name, int64_t *value) {
  size_t i;
  if (name == NULL)
    return CSAT_ERR_INVALID_ARG;
  for (i = 0; i < CONSTANT_COUNT; i++)
    if (strcmp(constants[i].name, name) == 0) {
      if (value != NULL)
        *value = constants[i].value;
      return CSAT_OK;
    }
  return CSAT_ERR_NOT_FOUND;
}

int csat_constant_at(size_t index, const char **name, const char **family, int64_t *value) {
  if (index >= CONSTANT_COUNT)
    return CSAT_ERR_NOT_FOUND;
  if (name != NULL)
    *name = constants[index].name;
  if (family != NULL)
    *family = constants[index].family;
  if (value != NULL)
    *value = constants[index].value;
  return CSAT_OK;
}
