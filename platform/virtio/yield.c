/* paf_yield: sleep with `hlt` until the deadline or a received frame, so an
 * idle guest costs the host nearly nothing. One-shot PIT alarms (at most
 * ~55 ms apart: the PIT's 16-bit count) end the sleeps at the deadline; the
 * NIC's receive interrupt ends them as a frame arrives. A NIC the firmware
 * gave no IRQ is polled instead: its receive ring is checked between sleeps
 * of at most POLL_INTERVAL_NS, which bounds the latency a frame waits.
 *
 * No wake-up is lost: the ring is checked with interrupts off, then
 * `sti; hlt` (cpu.h). A frame that arrives after the check raises the NIC's
 * IRQ, which waits at the PIC until `sti` lets it in, and `sti` lets it in
 * only after the `hlt` began: the `hlt` ends at once, and the ring is
 * checked again. */
#include <stdio.h>

#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define NS_PER_SECOND 1000000000ull
#define MAX_SLEEP_NS ((uint64_t)PIT_MAX_TICKS * NS_PER_SECOND / PIT_HZ)
#define POLL_INTERVAL_NS 1000000ull /* 1 ms */

/* What ended each sleep: the NIC's IRQ came, else the timer's, else another
 * (a spurious IRQ). */
static struct {
  uint64_t nic, timer, other;
} wakeups;

static void count_wakeup(uint64_t nic_before, uint64_t timer_before) {
  if (virtio_net_interrupts() != nic_before)
    wakeups.nic++;
  else if (irq_count(PIC_IRQ_TIMER) != timer_before)
    wakeups.timer++;
  else
    wakeups.other++;
}

static void sleep_at_most(uint64_t ns) {
  if (ns > MAX_SLEEP_NS) ns = MAX_SLEEP_NS;
  uint64_t ticks = ns * PIT_HZ / NS_PER_SECOND + 1; /* rounded up: no early wake-up */
  pit_arm_oneshot((uint16_t)(ticks > PIT_MAX_TICKS ? PIT_MAX_TICKS : ticks));
  uint64_t nic_before = virtio_net_interrupts(), timer_before = irq_count(PIC_IRQ_TIMER);
  halt_until_interrupt();
  count_wakeup(nic_before, timer_before);
}

void paf_yield(uint64_t deadline, paf_handle_set_t *ready_set) {
  paf_handle_set_t ready = virtio_net_ready_set();
  for (uint64_t now = paf_clock_monotonic(); ready == 0 && now < deadline;
       now = paf_clock_monotonic()) {
    uint64_t sleep = deadline - now;
    if (virtio_net_polled() && sleep > POLL_INTERVAL_NS) sleep = POLL_INTERVAL_NS;
    sleep_at_most(sleep);
    ready = virtio_net_ready_set();
  }
  if (ready_set != NULL) *ready_set = ready;
}

void yield_print_wakeups(void) {
  printf("paf/virtio: wake-ups: %lu by the NIC's interrupt, %lu by the timer, %lu other\n",
         wakeups.nic, wakeups.timer, wakeups.other);
}
