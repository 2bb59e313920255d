/* QEMU's -append reaches paf_start_info.cmdline unchanged. */
#include <string.h>

#include "check.h"
#include "paf/platform.h"

int paf_app_main(const struct paf_start_info *info) {
  printf("cmdline: \"%s\"\n", info->cmdline);
  CHECK(strcmp(info->cmdline, "ip=10.0.2.15/24 foo=bar") == 0);
  puts("SUCCESS");
  return 0;
}
