/* The boot command line (QEMU's -append), copied out of the boot loader's
 * memory, which nothing reserves, into the image's own. */

#include "kernel.h"

#define CMDLINE_MAX 4096

static char cmdline[CMDLINE_MAX];

const char *cmdline_init(const struct hvm_start_info *start_info) {
  const char *source = (const char *)(uintptr_t)start_info->cmdline_paddr;
  if (source == NULL) return cmdline;
  size_t length = 0;
  while (source[length] != '\0' && length < CMDLINE_MAX - 1) {
    cmdline[length] = source[length];
    length++;
  }
  if (source[length] != '\0')
    virtio_fatal("command line longer than %d bytes", CMDLINE_MAX - 1);
  return cmdline;
}
