/* An application for paf_posix_main: prints what it was started with, checks
 * its heap is usable, and returns the status named by "status=N" (else 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paf/platform.h"

int paf_app_main(const struct paf_start_info *info) {
  unsigned char *heap = (unsigned char *)info->heap_start;
  int heap_usable = heap != NULL && info->heap_size >= 4096;
  if (heap_usable) {
    heap[0] = 0xa5;
    heap[info->heap_size - 1] = 0x5a;
    heap_usable = heap[0] == 0xa5 && heap[info->heap_size - 1] == 0x5a;
  }
  char line[512];
  int n = snprintf(line, sizeof line, "cmdline=[%s] heap=%s\n", info->cmdline,
                   heap_usable ? "usable" : "unusable");
  paf_console_write(line, (size_t)n);
  const char *status = strstr(info->cmdline, "status=");
  return status != NULL ? atoi(status + strlen("status=")) : 0;
}
