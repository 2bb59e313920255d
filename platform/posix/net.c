/* Network devices. This platform has none yet: the TAP device and the
 * in-memory wire come with a later issue. Every call says so plainly rather
 * than pretending. */
#include <stdio.h>

#include "net.h"

static void log_line(const char *line, size_t size) { paf_console_write(line, size); }

paf_result_t paf_net_acquire(const char *name, paf_handle_t *handle, struct paf_net_info *info) {
  (void)handle;
  (void)info;
  char line[256];
  int n = snprintf(line, sizeof line,
                   "paf/posix: no network device \"%s\": this platform has no network "
                   "device configured (TAP support is not implemented yet)\n",
                   name != NULL ? name : "(null)");
  if (n > 0) log_line(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
  return PAF_R_EINVAL;
}

paf_result_t paf_net_read(paf_handle_t handle, uint8_t *buf, size_t size, size_t *read_size) {
  (void)handle;
  (void)buf;
  (void)size;
  (void)read_size;
  return PAF_R_EINVAL; /* no handle was ever acquired */
}

paf_result_t paf_net_write(paf_handle_t handle, const uint8_t *buf, size_t size) {
  (void)handle;
  (void)buf;
  (void)size;
  return PAF_R_EINVAL;
}

int paf_posix_net_poll(uint64_t deadline, paf_handle_set_t *ready_set) {
  (void)deadline;
  (void)ready_set;
  return -1;
}
