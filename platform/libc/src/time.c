/* Time: the platform's clocks, and UTC calendar arithmetic. The date
 * conversions are Howard Hinnant's days_from_civil / civil_from_days
 * (proleptic Gregorian calendar, exact for any year that fits). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>

#include "paf/platform.h"

#define NS_PER_SECOND 1000000000ull
#define SECONDS_PER_DAY 86400

int clock_gettime(clockid_t clock, struct timespec *ts) {
  uint64_t ns;
  if (clock == CLOCK_REALTIME) ns = paf_clock_wall();
  else if (clock == CLOCK_MONOTONIC) ns = paf_clock_monotonic();
  else {
    errno = EINVAL;
    return -1;
  }
  ts->tv_sec = (time_t)(ns / NS_PER_SECOND);
  ts->tv_nsec = (long)(ns % NS_PER_SECOND);
  return 0;
}

int timespec_get(struct timespec *ts, int base) {
  if (base != TIME_UTC) return 0;
  clock_gettime(CLOCK_REALTIME, ts);
  return base;
}

time_t time(time_t *out) {
  time_t now = (time_t)(paf_clock_wall() / NS_PER_SECOND);
  if (out) *out = now;
  return now;
}

double difftime(time_t end, time_t start) { return (double)(end - start); }

/* Days since 1970-01-01 of year y, month m (1-12), day d (1-31). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict out) {
  int64_t days = *t / SECONDS_PER_DAY;
  int64_t seconds = *t % SECONDS_PER_DAY;
  if (seconds < 0) seconds += SECONDS_PER_DAY, days--;
  int64_t year;
  int month, day;
  civil_from_days(days, &year, &month, &day);
  if (year - 1900 > INT_MAX || year - 1900 < INT_MIN) {
    errno = EOVERFLOW;
    return NULL;
  }
  out->tm_year = (int)(year - 1900);
  out->tm_mon = month - 1;
  out->tm_mday = day;
  out->tm_hour = (int)(seconds / 3600);
  out->tm_min = (int)(seconds / 60 % 60);
  out->tm_sec = (int)(seconds % 60);
  out->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
  out->tm_yday = (int)(days - days_from_civil(year, 1, 1));
  out->tm_isdst = 0;
  return out;
}

struct tm *gmtime(const time_t *t) {
  static struct tm result; /* one thread: the classic static result is safe */
  return gmtime_r(t, &result);
}

time_t timegm(struct tm *tm) {
  /* Out-of-range fields are allowed and normalised, as mktime does. */
  int64_t year = (int64_t)tm->tm_year + 1900 + tm->tm_mon / 12;
  int64_t month = tm->tm_mon % 12;
  if (month < 0) month += 12, year--;
  int64_t days = days_from_civil(year, month + 1, 1) + tm->tm_mday - 1;
  time_t t = (time_t)(days * SECONDS_PER_DAY + (int64_t)tm->tm_hour * 3600 +
                      (int64_t)tm->tm_min * 60 + tm->tm_sec);
  if (!gmtime_r(&t, tm)) return (time_t)-1;
  return t;
}
