/*
 * Periods: local time from UTC (fixed offset or the host's callback) and the
 * start of the hour, day, ISO week, month, quarter or year holding it, in the
 * proleptic Gregorian calendar. No libc time functions: civil dates come from
 * day counts by the era arithmetic (400-year cycles of 146097 days).
 * SPDX-License-Identifier: MIT
 */
#include "agg.h"

#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

int64_t csat__agg_days_from_civil(int64_t y, int m, int d) {
  int64_t era, yoe, doy, doe;
  y -= m <= 2;
  era = floor_div(y, 400);
  yoe = y - era * 400;                                            /* [0, 399] */
  doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

void csat__agg_civil_from_days(int64_t days, int64_t *y, int *m, int *d) {
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = mm;
  *y = yoe + era * 400 + (mm <= 2);
}

int csat__agg_local(const csat_agg *a, int64_t utc_ms, int64_t *local_ms) {
  const int64_t lo = CSAT__AGG_MIN_DAY * MS_DAY, hi = (CSAT__AGG_MAX_DAY + 1) * MS_DAY;
  int64_t l;
  if (utc_ms < lo || utc_ms >= hi)
    return CSAT_ERR_INVALID_ARG;
  if (a->cfg.tz_callback) {
    if (a->local_time == NULL)
      return CSAT_ERR_UNSUPPORTED;
    l = a->local_time(a->local_time_user, utc_ms);
  } else {
    l = utc_ms + (int64_t)a->cfg.offset_min * 60000;
  }
  if (l < lo || l >= hi)
    return CSAT_ERR_INVALID_ARG;
  *local_ms = l;
  return CSAT_OK;
}

int csat__agg_period_start(int32_t period, int64_t local_ms, int64_t *start) {
  int64_t days, y;
  int m, d;
  if (local_ms < CSAT__AGG_MIN_DAY * MS_DAY || local_ms >= (CSAT__AGG_MAX_DAY + 1) * MS_DAY)
    return CSAT_ERR_INVALID_ARG;
  days = floor_div(local_ms, MS_DAY);
  switch (period) {
  case CSAT_PERIOD_NONE: *start = 0; return CSAT_OK;
  case CSAT_PERIOD_HOUR: *start = floor_div(local_ms, MS_HOUR) * MS_HOUR; return CSAT_OK;
  case CSAT_PERIOD_DAY: *start = days * MS_DAY; return CSAT_OK;
  case CSAT_PERIOD_WEEK: {
    /* 1970-01-01 was a Thursday: (days + 3) mod 7 counts from Monday. */
    int64_t wd = days + 3 - floor_div(days + 3, 7) * 7;
    *start = (days - wd) * MS_DAY;
    return CSAT_OK;
  }
  default: break;
  }
  csat__agg_civil_from_days(days, &y, &m, &d);
  switch (period) {
  case CSAT_PERIOD_MONTH: *start = csat__agg_days_from_civil(y, m, 1) * MS_DAY; return CSAT_OK;
  case CSAT_PERIOD_QUARTER:
    *start = csat__agg_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1) * MS_DAY;
    return CSAT_OK;
  case CSAT_PERIOD_YEAR: *start = csat__agg_days_from_civil(y, 1, 1) * MS_DAY; return CSAT_OK;
  default: return CSAT_ERR_INVALID_ARG;
  }
}

/* Zero-padded decimal of at least `width` digits (v >= 0). */
static size_t put_num(char *p, int64_t v, int width) {
  char tmp[24];
  size_t n = 0, i;
  do {
    tmp[n++] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v > 0);
  while (n < (size_t)width)
    tmp[n++] = '0';
  for (i = 0; i < n; i++)
    p[i] = tmp[n - 1 - i];
  return n;
}

void csat__agg_period_label(int32_t period, int64_t start, char *buf, size_t cap) {
  char tmp[32];
  size_t n = 0;
  int64_t days = floor_div(start, MS_DAY), y;
  int m, d;
  if (cap == 0)
    return;
  if (period == CSAT_PERIOD_NONE || period < CSAT_PERIOD_NONE || period > CSAT_PERIOD_YEAR) {
    buf[0] = '\0';
    return;
  }
  if (period == CSAT_PERIOD_WEEK) {
    /* The ISO year is the year of the week's Thursday; week 1 holds its
     * first Thursday, so the week number counts Thursdays from January 1. */
    int64_t thu = days + 3, jan1;
    csat__agg_civil_from_days(thu, &y, &m, &d);
    jan1 = csat__agg_days_from_civil(y, 1, 1);
    n += put_num(tmp + n, y, 4);
    tmp[n++] = '-';
    tmp[n++] = 'W';
    n += put_num(tmp + n, (thu - jan1) / 7 + 1, 2);
  } else {
    csat__agg_civil_from_days(days, &y, &m, &d);
    n += put_num(tmp + n, y, 4);
    if (period == CSAT_PERIOD_QUARTER) {
      tmp[n++] = '-';
      tmp[n++] = 'Q';
      n += put_num(tmp + n, (m - 1) / 3 + 1, 1);
    } else if (period != CSAT_PERIOD_YEAR) {
      tmp[n++] = '-';
      n += put_num(tmp + n, m, 2);
      if (period != CSAT_PERIOD_MONTH) {
        tmp[n++] = '-';
        n += put_num(tmp + n, d, 2);
        if (period == CSAT_PERIOD_HOUR) {
          tmp[n++] = 'T';
          n += put_num(tmp + n, floor_div(start - days * MS_DAY, MS_HOUR), 2);
        }
      }
    }
  }
  if (n >= cap)
    n = cap - 1;
  for (d = 0; (size_t)d < n; d++)
    buf[d] = tmp[d];
  buf[n] = '\0';
}
