/* paf_yield: sleep with `hlt` until the deadline, woken by one-shot PIT
 * alarms (at most ~55 ms apart: the PIT's 16-bit count), so an idle guest
 * costs the host nearly nothing. There are no devices to wait for yet. */
#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define NS_PER_SECOND 1000000000ull
#define MAX_SLEEP_NS ((uint64_t)PIT_MAX_TICKS * NS_PER_SECOND / PIT_HZ)

static void sleep_at_most(uint64_t ns) {
  if (ns > MAX_SLEEP_NS) ns = MAX_SLEEP_NS;
  uint64_t ticks = ns * PIT_HZ / NS_PER_SECOND + 1; /* rounded up: no early wake-up */
  pit_arm_oneshot((uint16_t)(ticks > PIT_MAX_TICKS ? PIT_MAX_TICKS : ticks));
  halt_until_interrupt();
}

void paf_yield(uint64_t deadline, paf_handle_set_t *ready_set) {
  if (ready_set != NULL) *ready_set = 0;
  for (uint64_t now = paf_clock_monotonic(); now < deadline; now = paf_clock_monotonic())
    sleep_at_most(deadline - now);
}
