/*
 * csat_toolkit (src/tools/common), the helpers the programs share: buffer,
 * crash-safe store, inter-process lock, URL/JSON escaping, option parser.
 * Links the toolkit only: no libcsat, no internal headers.
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"
#include "tool_buf.h"
#include "tool_escape.h"
#include "tool_lock.h"
#include "tool_opts.h"
#include "tool_store.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The names in dir, sorted by nothing, joined by ' ' (for "no temp file left"). */
static void list_dir(char *out, size_t cap) {
  DIR *d = opendir(dir);
  struct dirent *e;
  out[0] = '\0';
  if (d == NULL)
    return;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (out[0] != '\0')
      strncat(out, " ", cap - strlen(out) - 1);
    strncat(out, e->d_name, cap - strlen(out) - 1);
  }
  closedir(d);
}

static void test_buf(void) {
  tool_buf b = {0};
  CHECK_INT(tool_buf_add(&b, "", 0), 0);
  CHECK(b.p != NULL);
  CHECK_STR(b.p, "");
  CHECK_INT(tool_buf_add(&b, "ab\0c", 4), 0);
  CHECK_INT(tool_buf_str(&b, "de"), 0);
  CHECK_INT(b.len, 6);
  CHECK(memcmp(b.p, "ab\0cde", 7) == 0); /* NUL-terminated */
  /* A length that would overflow is refused, the buffer unchanged. */
  CHECK_INT(tool_buf_add(&b, "x", (size_t)-1), -1);
  CHECK_INT(b.len, 6);
  tool_buf_free(&b);
  CHECK(b.p == NULL && b.len == 0 && b.cap == 0);
}

static void test_store(void) {
  char path[TOOL_PATH_MAX], names[512], big[TOOL_PATH_MAX + 8];
  tool_buf b = {0};
  CHECK_INT(tool_store_path(path, dir, "a", ".session"), 0);
  CHECK(strlen(path) == strlen(dir) + strlen("/a.session"));

  /* Round trip, then a shorter replacement: no trace of the old bytes, no
   * temporary file left behind. */
  CHECK_INT(tool_store_write_atomic(dir, "a", "hello", 5), 0);
  CHECK_INT(tool_store_path(path, dir, "a", NULL), 0);
  CHECK_INT(tool_store_read(path, 5, &b), 0);
  CHECK_INT(b.len, 5);
  CHECK_STR(b.p, "hello");
  tool_buf_free(&b);
  CHECK_INT(tool_store_write_atomic(dir, "a", "hi", 2), 0);
  CHECK_INT(tool_store_read(path, 100, &b), 0);
  CHECK_STR(b.p, "hi");
  tool_buf_free(&b);
  list_dir(names, sizeof names);
  CHECK_STR(names, "a");

  /* Bounded: one byte over the limit is refused with EFBIG; the limit
   * counts this file's bytes, not what the buffer held before. */
  CHECK_INT(tool_store_write_atomic(dir, "a", "hello", 5), 0);
  errno = 0;
  CHECK_INT(tool_store_read(path, 4, &b), -1);
  CHECK_INT(errno, EFBIG);
  tool_buf_free(&b);
  CHECK_INT(tool_buf_str(&b, "0123456789"), 0);
  CHECK_INT(tool_store_read(path, 5, &b), 0);
  CHECK_STR(b.p, "0123456789hello");
  tool_buf_free(&b);
  /* An empty file reads as an empty string, not NULL. */
  CHECK_INT(tool_store_write_atomic(dir, "empty", "", 0), 0);
  CHECK_INT(tool_store_path(path, dir, "empty", NULL), 0);
  CHECK_INT(tool_store_read(path, 0, &b), 0);
  CHECK(b.p != NULL && b.len == 0);
  tool_buf_free(&b);
  errno = 0;
  CHECK_INT(tool_store_path(path, dir, "missing", NULL), 0);
  CHECK_INT(tool_store_read(path, 10, &b), -1);
  CHECK_INT(errno, ENOENT);
  tool_buf_free(&b);

  /* Append: records follow each other, the file is created on first use. */
  CHECK_INT(tool_store_append(dir, "log", "one\n", 4), 0);
  CHECK_INT(tool_store_append(dir, "log", "two\n", 4), 0);
  CHECK_INT(tool_store_path(path, dir, "log", NULL), 0);
  CHECK_INT(tool_store_read(path, 100, &b), 0);
  CHECK_STR(b.p, "one\ntwo\n");
  tool_buf_free(&b);

  /* Rename: the old name is gone, the new one holds the bytes. */
  CHECK_INT(tool_store_rename(dir, "log", "log.old"), 0);
  CHECK_INT(tool_store_read(path, 100, &b), -1);
  tool_buf_free(&b);
  CHECK_INT(tool_store_path(path, dir, "log.old", NULL), 0);
  CHECK_INT(tool_store_read(path, 100, &b), 0);
  CHECK_STR(b.p, "one\ntwo\n");
  tool_buf_free(&b);
  CHECK_INT(tool_store_fsync_dir(dir), 0);

  /* Failures: a path too long, a directory that does not exist (nothing
   * created, errno from the system). */
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  errno = 0;
  CHECK_INT(tool_store_path(path, dir, big, NULL), -1);
  CHECK_INT(errno, ENAMETOOLONG);
  errno = 0;
  CHECK_INT(tool_store_write_atomic(dir, big, "x", 1), -1);
  CHECK_INT(errno, ENAMETOOLONG);
  CHECK_INT(tool_store_path(path, dir, "nodir", NULL), 0);
  errno = 0;
  CHECK_INT(tool_store_write_atomic(path, "a", "x", 1), -1);
  CHECK_INT(errno, ENOENT);
  CHECK_INT(tool_store_append(path, "a", "x", 1), -1);
  /* The rename fails (the name is a directory): the temporary is removed. */
  CHECK_INT(tool_store_path(path, dir, "sub", NULL), 0);
  CHECK_INT(mkdir(path, 0700), 0);
  errno = 0;
  CHECK_INT(tool_store_write_atomic(dir, "sub", "x", 1), -1);
  CHECK_INT(errno, EISDIR);
  CHECK_INT(rmdir(path), 0);
  list_dir(names, sizeof names);
  CHECK(strstr(names, "nodir") == NULL && strstr(names, ".tmp") == NULL);
}

static void test_lock(void) {
  char path[TOOL_PATH_MAX], c = 0;
  int go[2], stop[2], fd, status = 0;
  int64_t t0, waited;
  pid_t pid;
  CHECK_INT(tool_store_path(path, dir, ".lock", NULL), 0);
  /* Uncontended: taken at once, released, taken again. */
  fd = tool_lock_take(path, 0);
  CHECK(fd >= 0);
  tool_lock_release(fd);
  fd = tool_lock_take(path, 0);
  CHECK(fd >= 0);
  tool_lock_release(fd);
  tool_lock_release(-1); /* ignored */

  /* Contended: another process holds it until told to stop. */
  if (pipe(go) != 0 || pipe(stop) != 0) {
    CHECK_INT(errno, 0); /* no pipe: say why */
    return;
  }
  pid = fork();
  if (pid == 0) {
    int held = tool_lock_take(path, 0);
    close(go[0]);
    close(stop[1]);
    if (write(go[1], held >= 0 ? "y" : "n", 1) != 1)
      _exit(2);
    while (read(stop[0], &c, 1) > 0) /* until the parent closes its end */
      ;
    _exit(held >= 0 ? 0 : 1);
  }
  CHECK(pid > 0);
  close(go[1]);
  close(stop[0]);
  CHECK_INT(read(go[0], &c, 1), 1);
  CHECK_INT(c, 'y');
  errno = 0;
  CHECK_INT(tool_lock_take(path, 0), -1);
  CHECK_INT(errno, ETIMEDOUT);
  t0 = mono_ms();
  errno = 0;
  CHECK_INT(tool_lock_take(path, 150), -1);
  CHECK_INT(errno, ETIMEDOUT);
  waited = mono_ms() - t0;
  CHECK(waited >= 150);
  CHECK(waited < 5000); /* bounded, even on a loaded machine */
  /* The holder goes away: the lock is free again (the kernel drops it). */
  close(stop[1]);
  CHECK_INT(waitpid(pid, &status, 0), pid);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  close(go[0]);
  fd = tool_lock_take(path, 1000);
  CHECK(fd >= 0);
  tool_lock_release(fd);

  /* A lock file that cannot be created: the system's error, not a wait. */
  CHECK_INT(tool_store_path(path, dir, "nodir/.lock", NULL), 0);
  errno = 0;
  CHECK_INT(tool_lock_take(path, 1000), -1);
  CHECK_INT(errno, ENOENT);
}

static void url_decode_is(const char *in, int plus, const char *want, size_t want_len) {
  char s[64];
  size_t n;
  snprintf(s, sizeof s, "%s", in);
  n = tool_url_decode(s, plus);
  CHECK_INT(n, want_len);
  CHECK(memcmp(s, want, want_len) == 0 && s[n] == '\0');
}

static void json_is(const char *in, const char *want) {
  tool_buf b = {0};
  CHECK_INT(tool_json_string(&b, in), 0);
  CHECK_STR(b.p, want);
  tool_buf_free(&b);
}

static void test_escape(void) {
  tool_buf b = {0};
  url_decode_is("a%20b+c", 1, "a b c", 5);
  url_decode_is("a%20b+c", 0, "a b+c", 5);
  url_decode_is("%2B4711", 0, "+4711", 5);
  url_decode_is("%c3%A9", 1, "\xC3\xA9", 2);
  /* A '%' without two hex digits stays, also at the very end. */
  url_decode_is("%zz%4g%", 1, "%zz%4g%", 7);
  url_decode_is("100%2", 1, "100%2", 5);
  url_decode_is("", 1, "", 0);
  url_decode_is("a%00b", 1, "a\0b", 3); /* a NUL byte: use the length */

  CHECK_INT(tool_url_encode(&b, "a b+~-_.\xC3\xA9/?&=%", 15), 0);
  CHECK_STR(b.p, "a%20b%2B~-_.%C3%A9%2F%3F%26%3D%25");
  tool_buf_free(&b);
  CHECK_INT(tool_url_encode(&b, "a\0b\xff", 4), 0);
  CHECK_STR(b.p, "a%00b%FF");
  tool_buf_free(&b);
  CHECK_INT(tool_url_encode(&b, "", 0), 0);
  CHECK_INT(b.len, 0);
  tool_buf_free(&b);

  json_is(NULL, "\"\"");
  json_is("", "\"\"");
  json_is("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"");
  json_is("\n\t\x01\x1f", "\"\\u000a\\u0009\\u0001\\u001f\"");
  /* DEL, '/' and UTF-8 pass as they are. */
  json_is("\x7f/\xD0\x9F", "\"\x7f/\xD0\x9F\"");
}

/* Parse the NULL-terminated argument list (argv[0] is the program). */
static int parse(const tool_opt *spec, size_t n, char **args, int *rest, char *err, size_t errcap) {
  int argc = 0;
  while (args[argc] != NULL)
    argc++;
  return tool_opts_parse(spec, n, argc, args, 1, rest, err, errcap);
}

static void test_opts(void) {
  const char *name = NULL;
  int flag = 0, have_num = 0, rest = -1;
  int64_t num = -1;
  char err[128];
  const tool_opt spec[] = {
      {"name", &name, NULL, NULL, 0, NULL},
      {"flag", NULL, &flag, NULL, 0, NULL},
      {"num", NULL, NULL, &num, 100, &have_num},
  };
  const tool_opt bad[] = {{"both", &name, &flag, NULL, 0, NULL}};
  size_t n = sizeof spec / sizeof spec[0];
  char *a1[] = {"p", "--name", "v", "--flag", "--num=42", "w1", "--name", NULL};
  char *a2[] = {"p", "--name=x=y", "--name=", "--", "--flag", NULL};
  char *a3[] = {"p", "-x", "--flag", NULL};
  char *a4[] = {"p", "--flag", NULL};
  char *e_value[] = {"p", "--flag", "--name", NULL};
  char *e_unknown[] = {"p", "--bogus=1", NULL};
  char *e_prefix[] = {"p", "--nam", "v", NULL};
  char *e_flagval[] = {"p", "--flag=1", NULL};
  char *e_big[] = {"p", "--num", "101", NULL};
  char *e_sign[] = {"p", "--num=-1", NULL};
  char *e_empty[] = {"p", "--num=", NULL};
  char *help[] = {"p", "--name", "v", "--help", "--bogus", NULL};
  char *e_help[] = {"p", "--help=yes", NULL};
  char *lone[] = {"p", "--", NULL};

  CHECK_INT(parse(spec, n, a1, &rest, err, sizeof err), TOOL_OPTS_OK);
  CHECK_STR(name, "v");
  CHECK_INT(flag, 1);
  CHECK_INT(num, 42);
  CHECK_INT(have_num, 1);
  CHECK_INT(rest, 5); /* "w1": operands stop option parsing */
  CHECK_STR(err, "");

  CHECK_INT(parse(spec, n, a2, &rest, err, sizeof err), TOOL_OPTS_OK);
  CHECK_STR(name, ""); /* the last one given; "=x=y" was overwritten */
  CHECK_INT(rest, 4);  /* after "--": "--flag" is an operand */
  name = NULL;
  {
    char *a[] = {"p", "--name=x=y", NULL};
    CHECK_INT(parse(spec, n, a, &rest, err, sizeof err), TOOL_OPTS_OK);
    CHECK_STR(name, "x=y");
  }
  flag = 0;
  CHECK_INT(parse(spec, n, a3, &rest, err, sizeof err), TOOL_OPTS_OK);
  CHECK_INT(rest, 1); /* "-x" is an operand */
  CHECK_INT(flag, 0);
  CHECK_INT(parse(spec, n, a4, &rest, err, sizeof err), TOOL_OPTS_OK);
  CHECK_INT(rest, 2);
  CHECK_INT(parse(spec, n, lone, &rest, err, sizeof err), TOOL_OPTS_OK);
  CHECK_INT(rest, 2);

  CHECK_INT(parse(spec, n, e_value, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "option --name needs a value");
  CHECK_INT(parse(spec, n, e_unknown, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "unknown option --bogus");
  CHECK_INT(parse(spec, n, e_prefix, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "unknown option --nam");
  CHECK_INT(parse(spec, n, e_flagval, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "option --flag takes no value");
  num = 7;
  CHECK_INT(parse(spec, n, e_big, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "option --num needs a whole number from 0 to 100, not '101'");
  CHECK_INT(num, 7);
  CHECK_INT(parse(spec, n, e_sign, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "option --num needs a whole number from 0 to 100, not '-1'");
  CHECK_INT(parse(spec, n, e_empty, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "option --num needs a whole number from 0 to 100, not ''");
  CHECK_INT(parse(spec, n, help, &rest, err, sizeof err), TOOL_OPTS_HELP);
  CHECK_INT(parse(spec, n, e_help, &rest, err, sizeof err), TOOL_OPTS_ERROR);
  CHECK_STR(err, "option --help takes no value");
  CHECK_INT(parse(bad, 1, (char *[]){"p", "--both", NULL}, &rest, err, sizeof err),
            TOOL_OPTS_ERROR);
  /* A small or absent error buffer: cut, never overrun. */
  CHECK_INT(parse(spec, n, e_unknown, &rest, err, 8), TOOL_OPTS_ERROR);
  CHECK_STR(err, "unknown");
  CHECK_INT(parse(spec, n, e_unknown, &rest, NULL, 0), TOOL_OPTS_ERROR);
}

static void test_uint(void) {
  int64_t v = -1;
  CHECK_INT(tool_parse_uint("0", 0, &v), 0);
  CHECK_INT(v, 0);
  CHECK_INT(tool_parse_uint("5", 0, &v), -1); /* over a max of 0 */
  CHECK_INT(tool_parse_uint("65535", 65535, &v), 0);
  CHECK_INT(v, 65535);
  CHECK_INT(tool_parse_uint("65536", 65535, &v), -1);
  CHECK_INT(tool_parse_uint("9223372036854775807", INT64_MAX, &v), 0);
  CHECK(v == INT64_MAX);
  v = 3;
  CHECK_INT(tool_parse_uint("9223372036854775808", INT64_MAX, &v), -1);
  CHECK_INT(tool_parse_uint("99999999999999999999", INT64_MAX, &v), -1);
  CHECK_INT(v, 3);
  CHECK_INT(tool_parse_uint("", 10, &v), -1);
  CHECK_INT(tool_parse_uint("+1", 10, &v), -1);
  CHECK_INT(tool_parse_uint(" 1", 10, &v), -1);
  CHECK_INT(tool_parse_uint("1 ", 10, &v), -1);
  CHECK_INT(tool_parse_uint("0x1", 10, &v), -1);
  CHECK_INT(tool_parse_uint("007", 10, &v), 0);
  CHECK_INT(v, 7);
  CHECK_INT(tool_parse_uint("1", -5, &v), -1);
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/csat-toolkit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  test_buf();
  test_store();
  test_lock();
  test_escape();
  test_opts();
  test_uint();
  if (check_failures == 0) {
    /* What the tests above leave: removed by name, the directory last. */
    static const char *const left[] = {"a", "empty", "log.old", ".lock"};
    char path[TOOL_PATH_MAX];
    size_t i;
    for (i = 0; i < sizeof left / sizeof left[0]; i++)
      if (tool_store_path(path, dir, left[i], NULL) == 0)
        unlink(path);
    if (rmdir(dir) != 0)
      fprintf(stderr, "could not remove %s\n", dir);
  } else {
    fprintf(stderr, "work dir kept: %s\n", dir);
  }
  return CHECK_DONE();
}
