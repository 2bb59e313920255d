/* paf libc: <time.h>. Wall-clock time comes from the platform (UTC; there
 * are no time zones on bare metal, so localtime is gmtime). */
#ifndef PAF_LIBC_TIME_H
#define PAF_LIBC_TIME_H

#include <features.h>
#include <stddef.h>
#include <sys/types.h>

#define CLOCKS_PER_SEC 1000000L
#define TIME_UTC 1
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

typedef long clock_t;
typedef int clockid_t;

struct tm {
  int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
};

struct timespec {
  time_t tv_sec;
  long tv_nsec;
};

__PAF_BEGIN_DECLS

time_t time(time_t *out) __PAF_NOTHROW;
struct tm *gmtime_r(const time_t *__restrict t, struct tm *__restrict out) __PAF_NOTHROW;
struct tm *gmtime(const time_t *t) __PAF_NOTHROW;
/* The inverse of gmtime (a GNU and BSD extension, in C23): UTC fields to seconds. */
time_t timegm(struct tm *tm) __PAF_NOTHROW;
double difftime(time_t end, time_t start) __PAF_NOTHROW;
int timespec_get(struct timespec *ts, int base) __PAF_NOTHROW;
/* CLOCK_REALTIME (wall clock) and CLOCK_MONOTONIC, from the platform. */
int clock_gettime(clockid_t clock, struct timespec *ts) __PAF_NOTHROW;

/* Declared because libstdc++'s <ctime> names them; not implemented (a use
 * fails at link time): no process clock, no time zones, no locales. */
clock_t clock(void) __PAF_NOTHROW;
time_t mktime(struct tm *tm) __PAF_NOTHROW;
char *asctime(const struct tm *tm) __PAF_NOTHROW;
char *ctime(const time_t *t) __PAF_NOTHROW;
struct tm *localtime(const time_t *t) __PAF_NOTHROW;
size_t strftime(char *__restrict s, size_t max, const char *__restrict format,
                const struct tm *__restrict tm) __PAF_NOTHROW;

__PAF_END_DECLS

#endif
