/* Constants by name (csat_constant_name, csat_constant_value,
 * csat_constant_at): every row of the table round-trips, the families hold
 * what the header says, and bindings/constants.tsv (the cmake-computed copy
 * for code generators) equals the compiler-computed table row for row. */
#include "check.h"

#include <csat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const families[] = {
    "CSAT_ERR_",     "CSAT_MODE_",       "CSAT_Q_",       "CSAT_EXHAUSTED_", "CSAT_PROMPT_",
    "CSAT_CHANNEL_", "CSAT_OUTCOME_",    "CSAT_PENDING_", "CSAT_REPLY_",     "CSAT_REASON_",
    "CSAT_ANSWER_",  "CSAT_ESCALATION_", "CSAT_DIM_",     "CSAT_PERIOD_",    "CSAT_RANK_",
    "CSAT_TERMS_",   "CSAT_REPORT_"};
#define NFAMILIES (sizeof families / sizeof families[0])

static size_t row_count(void) {
  size_t n = 0;
  while (csat_constant_at(n, NULL, NULL, NULL) == CSAT_OK)
    n++;
  return n;
}

static void test_round_trip(void) {
  size_t i, n = row_count(), members[NFAMILIES] = {0};
  CHECK(n >= 130);
  for (i = 0; i < n; i++) {
    const char *name = NULL, *family = NULL, *found;
    int64_t value = 0, again = 12345;
    size_t f;
    CHECK_INT(csat_constant_at(i, &name, &family, &value), CSAT_OK);
    if (name == NULL || family == NULL) {
      CHECK(0);
      continue;
    }
    CHECK(strncmp(name, "CSAT_", 5) == 0);
    CHECK_INT(csat_constant_value(name, &again), CSAT_OK);
    CHECK_INT(again, value);
    if (family[0] == '\0') {
      CHECK(csat_constant_name(family, value) == NULL);
      continue;
    }
    /* A family member: found by its value, the family is its prefix. */
    found = csat_constant_name(family, value);
    CHECK_STR(found, name);
    if (strcmp(name, "CSAT_OK") != 0)
      CHECK(strncmp(name, family, strlen(family)) == 0);
    for (f = 0; f < NFAMILIES && strcmp(families[f], family) != 0; f++)
      ;
    CHECK(f < NFAMILIES);
    if (f < NFAMILIES)
      members[f]++;
  }
  for (i = 0; i < NFAMILIES; i++)
    if (members[i] < 2) {
      fprintf(stderr, "family %s has %zu members\n", families[i], members[i]);
      CHECK(0);
    }
  CHECK_INT(csat_constant_at(n, NULL, NULL, NULL), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_constant_at((size_t)-1, NULL, NULL, NULL), CSAT_ERR_NOT_FOUND);
}

/* The lookups against the header's macros, as a binding would use them. */
static void test_lookups(void) {
  int64_t v = 0;
  const char *name = NULL, *family = NULL;
  CHECK_STR(csat_constant_name("CSAT_ERR_", CSAT_OK), "CSAT_OK");
  CHECK_STR(csat_constant_name("CSAT_ERR_", CSAT_ERR_UNSUPPORTED), "CSAT_ERR_UNSUPPORTED");
  CHECK_STR(csat_constant_name("CSAT_OUTCOME_", CSAT_OUTCOME_ALREADY_ANSWERED),
            "CSAT_OUTCOME_ALREADY_ANSWERED"); /* not CSAT_OUTCOME_MAX */
  CHECK_STR(csat_constant_name("CSAT_PROMPT_", CSAT_PROMPT_EXPIRED),
            "CSAT_PROMPT_EXPIRED"); /* not CSAT_PROMPT_KIND_MAX */
  CHECK_STR(csat_constant_name("CSAT_PROMPT_", CSAT_PROMPT_MAX_ATTEMPTS),
            "CSAT_PROMPT_MAX_ATTEMPTS");
  CHECK_STR(csat_constant_name("CSAT_Q_", CSAT_Q_TEXT_COMMENT), "CSAT_Q_TEXT_COMMENT");
  CHECK_STR(csat_constant_name("CSAT_DIM_", CSAT_DIM_ALL), "CSAT_DIM_ALL");
  CHECK_STR(csat_constant_name("CSAT_REPORT_", CSAT_REPORT_NO_HEADER), "CSAT_REPORT_NO_HEADER");
  CHECK_STR(csat_constant_name("CSAT_PERIOD_", CSAT_PERIOD_NONE), "CSAT_PERIOD_NONE");
  /* The same value in another family is another name. */
  CHECK_STR(csat_constant_name("CSAT_CHANNEL_", 1), "CSAT_CHANNEL_VOICE");
  CHECK_STR(csat_constant_name("CSAT_MODE_", 1), "CSAT_MODE_ON_DEMAND");
  CHECK(csat_constant_name("CSAT_OUTCOME_", 10) == NULL);
  CHECK(csat_constant_name("CSAT_DIM_", 3) == NULL);    /* a bit set, not a bit */
  CHECK(csat_constant_name("CSAT_OUTCOME", 1) == NULL); /* prefixes are exact */
  CHECK(csat_constant_name("", 64) == NULL);
  CHECK(csat_constant_name(NULL, 0) == NULL);

  CHECK_INT(csat_constant_value("CSAT_ERR_NOMEM", &v), CSAT_OK);
  CHECK_INT(v, CSAT_ERR_NOMEM);
  CHECK_INT(csat_constant_value("CSAT_AGG_COUNT_MAX", &v), CSAT_OK);
  CHECK_INT(v, CSAT_AGG_COUNT_MAX);
  CHECK_INT(csat_constant_value("CSAT_MAX_TEXT_WINDOW_MS", &v), CSAT_OK);
  CHECK_INT(v, CSAT_MAX_TEXT_WINDOW_MS);
  CHECK_INT(csat_constant_value("CSAT_JSON_MAX_INPUT", &v), CSAT_OK);
  CHECK_INT(v, CSAT_JSON_MAX_INPUT);
  CHECK_INT(csat_constant_value("CSAT_REPORT_CATEGORIES", NULL), CSAT_OK);
  CHECK_INT(csat_constant_value("csat_err_nomem", &v), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_constant_value("CSAT_ERR_NOMEM ", &v), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_constant_value("CSAT_VERSION_MAJOR", &v), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_constant_value("CSAT_AGG_ALL", &v), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_constant_value("CSAT_EXTERN", &v), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_constant_value("", &v), CSAT_ERR_NOT_FOUND);
  CHECK_INT(csat_constant_value(NULL, &v), CSAT_ERR_INVALID_ARG);

  CHECK_INT(csat_constant_at(0, &name, &family, &v), CSAT_OK);
  CHECK_STR(name, "CSAT_OK");
  CHECK_STR(family, "CSAT_ERR_");
  CHECK_INT(v, 0);
  CHECK_INT(csat_constant_value("CSAT_PROMPT_KIND_MAX", &v), CSAT_OK);
  CHECK_INT(v, CSAT_PROMPT_KIND_MAX);
}

/* bindings/constants.tsv: a header line, then the table's rows in order. */
static void test_tsv(void) {
  char line[512];
  size_t i = 0, n = row_count();
  FILE *f = fopen(CSAT_CONSTANTS_TSV, "r");
  CHECK(f != NULL);
  if (f == NULL)
    return;
  CHECK(fgets(line, sizeof line, f) != NULL);
  CHECK_STR(line, "name\tfamily\tvalue\n");
  while (fgets(line, sizeof line, f) != NULL) {
    char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL, *end;
    const char *name = NULL, *family = NULL;
    int64_t value = 0;
    long long tsv_value;
    if (tab1 == NULL || tab2 == NULL) {
      fprintf(stderr, "constants.tsv line %zu: not three columns\n", i + 2);
      CHECK(0);
      break;
    }
    *tab1 = *tab2 = '\0';
    tsv_value = strtoll(tab2 + 1, &end, 10);
    CHECK(*end == '\n');
    if (csat_constant_at(i, &name, &family, &value) != CSAT_OK) {
      fprintf(stderr, "constants.tsv has more rows than the library (%zu)\n", n);
      CHECK(0);
      break;
    }
    CHECK_STR(line, name);
    CHECK_STR(tab1 + 1, family);
    if (tsv_value != value)
      fprintf(stderr, "constants.tsv: %s is %lld, the library says %lld\n", line, tsv_value,
              (long long)value);
    CHECK_INT(tsv_value, value);
    i++;
  }
  CHECK_INT(i, n);
  fclose(f);
}

int main(void) {
  test_round_trip();
  test_lookups();
  test_tsv();
  return CHECK_DONE();
}
