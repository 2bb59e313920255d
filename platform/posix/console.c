/* The console is standard output, written unbuffered. */
#include <errno.h>
#include <unistd.h>

#include "paf/platform.h"

void paf_console_write(const char *buf, size_t size) {
  while (size > 0) {
    ssize_t n = write(STDOUT_FILENO, buf, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* the contract: a console that cannot take the bytes loses them */
    buf += n;
    size -= (size_t)n;
  }
}
