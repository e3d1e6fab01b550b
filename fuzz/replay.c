/*
 * Replay driver: calls LLVMFuzzerTestOneInput on every file named on the
 * command line and on every regular file inside the directories named there
 * (not recursive, in name order), so that any compiler replays the corpora
 * and findings as an ordinary test. Each input is passed in a heap buffer of
 * exactly its size, so sanitizers and valgrind see over-reads.
 * Exit status: 0 when every input ran, 1 when a path could not be read or
 * nothing was replayed (a crash aborts the process, as under libFuzzer).
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path, int verbose) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t len = 0, cap = 0;
  if (f == NULL) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return -1;
  }
  for (;;) {
    size_t got;
    if (len == cap) {
      unsigned char *p;
      cap = cap ? cap * 2 : 4096;
      p = realloc(buf, cap);
      if (p == NULL) {
        fclose(f);
        free(buf);
        return -1;
      }
      buf = p;
    }
    got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    fclose(f);
    free(buf);
    return -1;
  }
  fclose(f);
  {
    /* An exactly sized copy (malloc(0) may return NULL: keep a valid pointer). */
    unsigned char *exact = malloc(len ? len : 1);
    if (exact == NULL) {
      free(buf);
      return -1;
    }
    if (len)
      memcpy(exact, buf, len);
    free(buf);
    if (verbose)
      fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
  }
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int replay_dir(const char *dir, int verbose, size_t *count) {
  DIR *d = opendir(dir);
  struct dirent *ent;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  int rc = 0;
  if (d == NULL) {
    fprintf(stderr, "replay: cannot open directory %s\n", dir);
    return -1;
  }
  while ((ent = readdir(d)) != NULL) {
    size_t len;
    char *path;
    struct stat st;
    if (ent->d_name[0] == '.')
      continue;
    len = strlen(dir) + strlen(ent->d_name) + 2;
    path = malloc(len);
    if (path == NULL) {
      rc = -1;
      break;
    }
    snprintf(path, len, "%s/%s", dir, ent->d_name);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
      free(path);
      continue;
    }
    if (n == cap) {
      char **p;
      cap = cap ? cap * 2 : 64;
      p = realloc(names, cap * sizeof *names);
      if (p == NULL) {
        free(path);
        rc = -1;
        break;
      }
      names = p;
    }
    names[n++] = path;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_names);
  for (i = 0; i < n; i++) {
    if (replay_file(names[i], verbose) != 0)
      rc = -1;
    else
      (*count)++;
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  size_t count = 0;
  int i, failed = 0, verbose = getenv("FUZZ_REPLAY_VERBOSE") != NULL;
  for (i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
      failed = 1;
    } else if (S_ISDIR(st.st_mode)) {
      if (replay_dir(argv[i], verbose, &count) != 0)
        failed = 1;
    } else if (replay_file(argv[i], verbose) != 0) {
      failed = 1;
    } else {
      count++;
    }
  }
  printf("replayed %zu input(s)\n", count);
  if (count == 0) {
    fprintf(stderr, "replay: nothing to replay\n");
    failed = 1;
  }
  return failed ? 1 : 0;
}
