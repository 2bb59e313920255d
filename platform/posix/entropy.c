/* Entropy from getrandom(2), the kernel's CSPRNG. */
#include <errno.h>
#include <sys/random.h>

#include "paf/platform.h"

paf_result_t paf_entropy(void *buf, size_t size) {
  unsigned char *out = buf;
  while (size > 0) {
    ssize_t n = getrandom(out, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return PAF_R_EUNSPEC;
    out += n;
    size -= (size_t)n;
  }
  return PAF_R_OK;
}
