/* A CPU exception is reported on the console (vector, error code, RIP, RSP,
 * CR2) and ends the guest with a failing status: #UD by default, #DE with the
 * command line "divide". */
#include <stdio.h>
#include <string.h>

#include "paf/platform.h"

int paf_app_main(const struct paf_start_info *info) {
  if (strcmp(info->cmdline, "divide") == 0) {
    /* In assembly: C's x / 0 is undefined, and gcc turns 1 / x into a
     * comparison that never divides. */
    printf("dividing by zero\n");
    uint32_t quotient = 1, zero = 0;
    __asm__ volatile("xor %%edx, %%edx; divl %1" : "+a"(quotient) : "r"(zero) : "rdx", "cc");
  } else {
    printf("executing ud2\n");
    __asm__ volatile("ud2");
  }
  printf("FAILURE: the exception returned\n");
  return 0;
}
