/* The clocks: monotonic time advances, paf_yield sleeps as long as asked
 * (100 ms, +-50%, ten times: the runner checks the host saw at least a
 * second go by), and the wall clock is within a day of the host's, whose
 * time the runner passes as host_time=SECONDS on the command line. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paf/platform.h"

#define NS_PER_MS 1000000ull
#define NS_PER_SECOND 1000000000ull
#define SECONDS_PER_DAY 86400

static long long host_time(const char *cmdline) {
  const char *found = strstr(cmdline, "host_time=");
  return found ? atoll(found + strlen("host_time=")) : -1;
}

int paf_app_main(const struct paf_start_info *info) {
  uint64_t first = paf_clock_monotonic();
  uint64_t later = first;
  for (int spins = 0; spins < 100000000 && later == first; spins++) later = paf_clock_monotonic();
  CHECK(later > first);

  for (int i = 0; i < 10; i++) {
    uint64_t start = paf_clock_monotonic();
    paf_handle_set_t ready = 1;
    paf_yield(start + 100 * NS_PER_MS, &ready);
    uint64_t slept_ms = (paf_clock_monotonic() - start) / NS_PER_MS;
    printf("yield 100 ms: slept %llu ms\n", (unsigned long long)slept_ms);
    CHECK(slept_ms >= 50 && slept_ms <= 150);
    CHECK(ready == 0);
  }

  long long host = host_time(info->cmdline);
  long long wall = (long long)(paf_clock_wall() / NS_PER_SECOND);
  printf("wall clock %lld s, host %lld s\n", wall, host);
  CHECK(host > 0);
  CHECK(llabs(wall - host) < SECONDS_PER_DAY);
  puts("SUCCESS");
  return 0;
}
