/* Waiting: poll the network devices if any, else sleep on CLOCK_MONOTONIC
 * (the clock of paf_clock_monotonic) until the deadline. */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "net.h"

static void sleep_until(uint64_t deadline) {
  /* UINT64_MAX and other far deadlines fit time_t (64-bit) seconds. */
  struct timespec until = {.tv_sec = (time_t)(deadline / 1000000000u),
                           .tv_nsec = (long)(deadline % 1000000000u)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
  }
}

void paf_yield(uint64_t deadline, paf_handle_set_t *ready_set) {
  paf_handle_set_t ready = 0;
  if (paf_posix_net_poll(deadline, &ready) < 0 && paf_clock_monotonic() < deadline)
    sleep_until(deadline);
  if (ready_set != NULL) *ready_set = ready;
}
