/* The network device: none yet (the virtio-net driver comes next), so no
 * name can be acquired and no handle is valid. */
#include "paf/platform.h"

paf_result_t paf_net_acquire(const char *name, paf_handle_t *handle, struct paf_net_info *info) {
  (void)name, (void)handle, (void)info;
  return PAF_R_EINVAL;
}

paf_result_t paf_net_read(paf_handle_t handle, uint8_t *buf, size_t size, size_t *read_size) {
  (void)handle, (void)buf, (void)size, (void)read_size;
  return PAF_R_EINVAL;
}

paf_result_t paf_net_write(paf_handle_t handle, const uint8_t *buf, size_t size) {
  (void)handle, (void)buf, (void)size;
  return PAF_R_EINVAL;
}
