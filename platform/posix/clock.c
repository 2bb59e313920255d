/* Time: CLOCK_MONOTONIC and CLOCK_REALTIME. */
#include <time.h>

#include "paf/platform.h"

static uint64_t nanoseconds(clockid_t clock) {
  struct timespec now;
  if (clock_gettime(clock, &now) != 0) paf_abort(); /* cannot fail for these clocks */
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

uint64_t paf_clock_monotonic(void) { return nanoseconds(CLOCK_MONOTONIC); }

uint64_t paf_clock_wall(void) { return nanoseconds(CLOCK_REALTIME); }
