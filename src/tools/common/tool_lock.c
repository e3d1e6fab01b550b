/*
 * csat_toolkit: the inter-process lock (tool_lock.h).
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include "tool_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RETRY_MS 20

static int64_t mono_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0;
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tool_lock_take(const char *path, int wait_ms) {
  int64_t deadline = mono_ms() + (wait_ms > 0 ? wait_ms : 0);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  for (;;) {
    struct flock fl;
    struct timespec ts;
    int e;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET; /* l_start = l_len = 0: the whole file */
    if (fcntl(fd, F_SETLK, &fl) == 0)
      return fd;
    e = errno;
    if (e != EACCES && e != EAGAIN && e != EINTR) {
      close(fd);
      errno = e;
      return -1;
    }
    /* Measured on the clock, not by counting sleeps: a slow machine must
     * not wait longer than asked. */
    if (mono_ms() >= deadline) {
      close(fd);
      errno = ETIMEDOUT;
      return -1;
    }
    ts.tv_sec = 0;
    ts.tv_nsec = RETRY_MS * 1000000L;
    nanosleep(&ts, NULL);
  }
}

void tool_lock_release(int fd) {
  if (fd >= 0)
    close(fd);
}
