/* Ending: _exit at once (no atexit handlers, as on bare metal), after flushing
 * whatever a hosted tool printed through stdio. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "paf/platform.h"

void paf_exit(int status) {
  fflush(NULL);
  _exit(status);
}

void paf_abort(void) {
  fflush(NULL);
  abort();
}
