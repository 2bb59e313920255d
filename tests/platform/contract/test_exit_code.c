/* paf_app_main's return value reaches the host as the exit status. */
#include "paf/platform.h"

int paf_app_main(const struct paf_start_info *info) {
  (void)info;
  return 7;
}
