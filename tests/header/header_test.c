/* Compiles the public header the way hosts will: as C99, C11 and (through
 * header_test.cpp) C++. It checks that csat.h is self-contained, that its
 * include guard holds, that C++ links the C symbols (extern "C"), and the
 * exact types of the main entry points and callbacks. */
#include "csat.h"
#include "csat.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks a declaration's type without referencing the symbol (sizeof does not
 * evaluate), so this links before every function is implemented. Distinct
 * pointer types are an error in C++ and, with -Werror, in C. */
#define SAME_TYPE(fn, type) ((void)sizeof((type)0 == &(fn)))

typedef int (*builder_new_fn)(csat_survey_builder **, const char *, int32_t,
                              const csat_allocator *);
typedef int (*builder_finish_fn)(csat_survey_builder *, csat_survey **, csat_error *);
typedef int (*from_json_fn)(csat_survey **, const char *, size_t, const csat_allocator *,
                            csat_error *);
typedef int (*session_new_fn)(csat_session **, const csat_survey *, const csat_contact *,
                              const csat_host *, const csat_allocator *);
typedef int (*session_input_fn)(csat_session *, const char *, size_t, int64_t);
typedef int (*session_save_fn)(const csat_session *, void *, size_t, size_t *);
typedef int (*session_restore_fn)(csat_session **, const csat_survey *, const void *, size_t,
                                  const csat_host *, const csat_allocator *, csat_error *);
typedef int (*result_answer_fn)(const csat_result *, int32_t, csat_answer *);

static int on_play(void *user, const csat_prompt *prompt) {
  (void)user;
  return prompt->kind > 0 ? 0 : -1;
}
static int on_collect(void *user, const csat_collect *spec) {
  (void)user;
  return spec->max_digits > 0 ? 0 : -1;
}
static int on_store(void *user, const csat_result *result) {
  (void)user;
  (void)result;
  return 0;
}
static int on_task(void *user, const csat_task *task) {
  (void)user;
  return task->reference_count <= 25 ? 0 : -1;
}
static void *my_malloc(size_t size, void *user) {
  (void)user;
  return malloc(size);
}
static void *my_realloc(void *ptr, size_t size, void *user) {
  (void)user;
  return realloc(ptr, size);
}
static void my_free(void *ptr, void *user) {
  (void)user;
  free(ptr);
}

int main(void) {
  int failures = 0;
  csat_host host;
  csat_allocator alloc;
  csat_contact contact;
  csat_error err;

  SAME_TYPE(csat_survey_builder_new, builder_new_fn);
  SAME_TYPE(csat_survey_builder_finish, builder_finish_fn);
  SAME_TYPE(csat_survey_from_json, from_json_fn);
  SAME_TYPE(csat_session_new, session_new_fn);
  SAME_TYPE(csat_session_input, session_input_fn);
  SAME_TYPE(csat_session_save, session_save_fn);
  SAME_TYPE(csat_session_restore, session_restore_fn);
  SAME_TYPE(csat_result_answer, result_answer_fn);

  memset(&host, 0, sizeof host);
  host.struct_size = sizeof host;
  host.play = on_play;
  host.collect = on_collect;
  host.store = on_store;
  host.create_task = on_task;

  memset(&alloc, 0, sizeof alloc);
  alloc.struct_size = sizeof alloc;
  alloc.malloc = my_malloc;
  alloc.realloc = my_realloc;
  alloc.free = my_free;

  memset(&contact, 0, sizeof contact);
  contact.struct_size = sizeof contact;
  contact.contact_id = "c-1";
  contact.channel = CSAT_CHANNEL_VOICE;

  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;

  /* Every extensible struct starts with its size. */
  if (offsetof(csat_host, struct_size) != 0 || offsetof(csat_contact, struct_size) != 0 ||
      offsetof(csat_allocator, struct_size) != 0 || offsetof(csat_error, struct_size) != 0 ||
      offsetof(csat_answer, struct_size) != 0) {
    fprintf(stderr, "struct_size is not the first member of every extensible struct\n");
    failures++;
  }
  if (strcmp(csat_version(), CSAT_VERSION_STRING) != 0 ||
      csat_version_num() != (uint32_t)CSAT_VERSION_NUM) {
    fprintf(stderr, "header version %s, library %s\n", CSAT_VERSION_STRING, csat_version());
    failures++;
  }
  if (csat_strerror(CSAT_ERR_NOMEM) == NULL || csat_strerror(CSAT_ERR_NOMEM)[0] == '\0' ||
      csat_strerror(-12345) == NULL) {
    fprintf(stderr, "csat_strerror gave no text\n");
    failures++;
  }
  printf("csat.h %s: %s\n", csat_version(), failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
