/* A stand-in for the bare-metal platform (platform/virtio, a later issue) and
 * for src/net's lwIP glue, just enough to link the test image: the console
 * is COM1 without setup, time stands still, there is no entropy, exiting uses
 * QEMU's isa-debug-exit port. Nothing here is the real platform. */
#include <stdint.h>

#include "paf/platform.h"

static inline void outb(uint16_t port, uint8_t value) {
  __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t value) {
  __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

void paf_console_write(const char *buf, size_t size) {
  for (size_t i = 0; i < size; i++) outb(0x3f8, (uint8_t)buf[i]);
}

uint64_t paf_clock_monotonic(void) { return 0; }
uint64_t paf_clock_wall(void) { return 0; }

void paf_yield(uint64_t deadline, paf_handle_set_t *ready_set) {
  (void)deadline;
  if (ready_set) *ready_set = 0;
}

paf_result_t paf_entropy(void *buf, size_t size) {
  (void)buf;
  (void)size;
  return PAF_R_EUNSPEC; /* honest: this stand-in has no source */
}

paf_result_t paf_net_acquire(const char *name, paf_handle_t *handle, struct paf_net_info *info) {
  (void)name, (void)handle, (void)info;
  return PAF_R_EINVAL;
}

paf_result_t paf_net_read(paf_handle_t handle, uint8_t *buf, size_t size, size_t *read_size) {
  (void)handle, (void)buf, (void)size, (void)read_size;
  return PAF_R_EINVAL;
}

paf_result_t paf_net_write(paf_handle_t handle, const uint8_t *buf, size_t size) {
  (void)handle, (void)buf, (void)size;
  return PAF_R_EINVAL;
}

void paf_exit(int status) {
  outl(0xf4, (uint32_t)status); /* QEMU exits with (status << 1) | 1 */
  for (;;) __asm__ volatile("cli; hlt");
}

void paf_abort(void) { paf_exit(255); }

/* lwIP's NO_SYS hooks (src/net supplies the real ones). */
uint32_t sys_now(void) { return (uint32_t)(paf_clock_monotonic() / 1000000u); }
uint32_t paf_lwip_random(void) { /* xorshift32: varied, not secret */
  static uint32_t state = 2463534242u;
  state ^= state << 13, state ^= state >> 17, state ^= state << 5;
  return state;
}
