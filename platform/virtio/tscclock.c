/* paf_clock_monotonic: the time-stamp counter, converted to nanoseconds with
 * a frequency measured at boot against the PIT (whose rate is fixed:
 * 1.193182 MHz). The conversion is a 32.32 fixed-point multiply. */
#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define NS_PER_SECOND 1000000000ull
/* 20 ms: long enough that the PIT's and the emulator's jitter stay well
 * under 1%, short enough for a quick boot. */
#define CALIBRATION_TICKS (PIT_HZ / 50)
/* Outside this range the measurement, not the CPU, is wrong. */
#define TSC_MIN_HZ 10000000ull        /* 10 MHz */
#define TSC_MAX_HZ 100000000000ull    /* 100 GHz */

static uint64_t tsc_at_boot;
static uint64_t tsc_hz;
static uint64_t ns_per_tick_32_32; /* nanoseconds per TSC tick, << 32 */
static uint64_t last_ns;

void tscclock_init(void) {
  uint64_t start = rdtsc();
  int answered = pit_busy_wait(CALIBRATION_TICKS);
  uint64_t elapsed = rdtsc() - start;
  tsc_hz = elapsed * PIT_HZ / CALIBRATION_TICKS;
  if (!answered || tsc_hz < TSC_MIN_HZ || tsc_hz > TSC_MAX_HZ)
    virtio_fatal("cannot calibrate the TSC against the PIT: %s",
                 answered ? "implausible frequency" : "no answer");
  ns_per_tick_32_32 = (NS_PER_SECOND << 32) / tsc_hz;
  tsc_at_boot = start;
}

uint64_t tscclock_frequency(void) { return tsc_hz; }

uint64_t paf_clock_monotonic(void) {
  uint64_t ticks = rdtsc() - tsc_at_boot;
  uint64_t ns = (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32_32) >> 32);
  /* The TSC of one core never goes back; the clamp makes the contract hold
   * even on a host whose cores' TSCs drift apart under a migrating vCPU. */
  if (ns < last_ns) return last_ns;
  last_ns = ns;
  return ns;
}
