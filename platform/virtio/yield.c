/* paf_yield: sleep with `hlt` until the deadline, woken by one-shot PIT
 * alarms (at most ~55 ms apart: the PIT's 16-bit count), so an idle guest
 * costs the host nearly nothing. The NIC raises no interrupt (it is polled):
 * while one is acquired, its receive ring is checked between sleeps of at
 * most POLL_INTERVAL_NS, which bounds the latency a frame waits. */
#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define NS_PER_SECOND 1000000000ull
#define MAX_SLEEP_NS ((uint64_t)PIT_MAX_TICKS * NS_PER_SECOND / PIT_HZ)
#define POLL_INTERVAL_NS 1000000ull /* 1 ms */

static void sleep_at_most(uint64_t ns) {
  if (ns > MAX_SLEEP_NS) ns = MAX_SLEEP_NS;
  uint64_t ticks = ns * PIT_HZ / NS_PER_SECOND + 1; /* rounded up: no early wake-up */
  pit_arm_oneshot((uint16_t)(ticks > PIT_MAX_TICKS ? PIT_MAX_TICKS : ticks));
  halt_until_interrupt();
}

void paf_yield(uint64_t deadline, paf_handle_set_t *ready_set) {
  paf_handle_set_t ready = virtio_net_ready_set();
  for (uint64_t now = paf_clock_monotonic(); ready == 0 && now < deadline;
       now = paf_clock_monotonic()) {
    uint64_t sleep = deadline - now;
    if (virtio_net_acquired() && sleep > POLL_INTERVAL_NS) sleep = POLL_INTERVAL_NS;
    sleep_at_most(sleep);
    ready = virtio_net_ready_set();
  }
  if (ready_set != NULL) *ready_set = ready;
}
