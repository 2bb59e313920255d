/* The console works: one line through paf_console_write, a clean exit. */
#include "paf/platform.h"

int paf_app_main(const struct paf_start_info *info) {
  (void)info;
  static const char line[] = "Hello, world\n";
  paf_console_write(line, sizeof line - 1);
  return 0;
}
