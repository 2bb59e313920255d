/* A stand-in for src/net's lwIP glue (a later issue), just enough to link the
 * test image: lwIP's NO_SYS clock and its random-number hook. */
#include <stdint.h>

#include "paf/platform.h"

uint32_t sys_now(void) { return (uint32_t)(paf_clock_monotonic() / 1000000u); }

uint32_t paf_lwip_random(void) { /* xorshift32: varied, not secret */
  static uint32_t state = 2463534242u;
  state ^= state << 13, state ^= state >> 17, state ^= state << 5;
  return state;
}
