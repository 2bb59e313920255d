/* Ending: QEMU's isa-debug-exit device (iobase 0xf4) ends QEMU with status
 * (value << 1) | 1, so even a success is odd; a triple fault under
 * -no-reboot gives 0 and a QEMU error 1, both told apart by the runner. The
 * values 0..VIRTIO_EXIT_STATUS_MAX are the application's statuses; anything
 * else becomes VIRTIO_EXIT_STATUS_MAX + 1 (the host sees only 8 bits);
 * VIRTIO_EXIT_STATUS_FATAL (host: 255) is an abort or a crash. */
#include <stdarg.h>
#include <stdio.h>

#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define DEBUG_EXIT_PORT 0xf4

/* Without the device, the write is ignored: halt, and let the host's
 * timeout see it. */
__attribute__((noreturn)) static void debug_exit(uint32_t value) {
  outl(DEBUG_EXIT_PORT, value);
  halt_forever();
}

void paf_exit(int status) {
  if (virtio_net_acquired()) yield_print_wakeups();
  if (status < 0 || status > VIRTIO_EXIT_STATUS_MAX) {
    printf("paf/virtio: exit status %d out of range 0..%d\n", status, VIRTIO_EXIT_STATUS_MAX);
    debug_exit(VIRTIO_EXIT_STATUS_MAX + 1);
  }
  debug_exit((uint32_t)status);
}

void virtio_exit_fatal(void) { debug_exit(VIRTIO_EXIT_STATUS_FATAL); }

void paf_abort(void) {
  printf("paf/virtio: aborted\n");
  virtio_exit_fatal();
}

void virtio_fatal(const char *format, ...) {
  va_list args;
  va_start(args, format);
  printf("paf/virtio: ");
  vprintf(format, args);
  printf("\n");
  va_end(args);
  virtio_exit_fatal();
}
