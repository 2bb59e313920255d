/* paf_entropy gives bytes: two 32-byte reads differ and are not all zero. */
#include <string.h>

#include "check.h"
#include "paf/platform.h"

int paf_app_main(const struct paf_start_info *info) {
  (void)info;
  uint8_t first[32], second[32], zero[32] = {0};
  CHECK(paf_entropy(first, sizeof first) == PAF_R_OK);
  CHECK(paf_entropy(second, sizeof second) == PAF_R_OK);
  CHECK(memcmp(first, second, sizeof first) != 0);
  CHECK(memcmp(first, zero, sizeof first) != 0);
  CHECK(memcmp(second, zero, sizeof second) != 0);
  uint8_t odd[5]; /* a size that is not a whole number of words */
  CHECK(paf_entropy(odd, sizeof odd) == PAF_R_OK);
  puts("SUCCESS");
  return 0;
}
