/* The 8254 programmable interval timer, channel 0 only (channel 2's gate sits
 * behind port 0x61, which -M microvm lacks). It is the one-shot alarm whose
 * IRQ 0 wakes a sleeping CPU, and at boot a stopwatch for calibrating the TSC,
 * its output read back by polling. */
#include "cpu.h"
#include "kernel.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
/* Channel 0, low then high byte, mode 0 "interrupt on terminal count": the
 * output drops when a count is loaded and rises when it reaches 0. */
#define PIT_CHANNEL0_ONESHOT 0x30
/* Read-back: latch channel 0's status (not its count); bit 7 is its output. */
#define PIT_READ_BACK_CHANNEL0_STATUS 0xe2
#define PIT_STATUS_OUTPUT 0x80
/* Bounded, so a machine without a PIT fails instead of hanging; far more
 * than any count takes. */
#define MAX_POLLS 100000000u

void pit_arm_oneshot(uint16_t ticks) {
  outb(PIT_COMMAND, PIT_CHANNEL0_ONESHOT);
  outb(PIT_CHANNEL0, (uint8_t)ticks);
  outb(PIT_CHANNEL0, (uint8_t)(ticks >> 8));
}

static int output_high(void) {
  outb(PIT_COMMAND, PIT_READ_BACK_CHANNEL0_STATUS);
  return inb(PIT_CHANNEL0) & PIT_STATUS_OUTPUT;
}

/* The firmware leaves channel 0 ticking periodically; one long one-shot
 * quiets it until the first real alarm. */
void pit_init(void) {
  pit_arm_oneshot(PIT_MAX_TICKS);
  pic_unmask(PIC_IRQ_TIMER);
}

int pit_busy_wait(uint16_t ticks) {
  pit_arm_oneshot(ticks);
  /* High right after loading: nothing behind the ports (they read 0xff). */
  if (output_high()) return 0;
  for (uint32_t polls = 0; polls < MAX_POLLS; polls++)
    if (output_high()) return 1;
  return 0;
}
