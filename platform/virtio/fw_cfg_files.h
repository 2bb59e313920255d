/* fw_cfg_files.c: QEMU's fw_cfg file directory and items, read through a
 * device the caller provides (fw_cfg.c: the I/O ports), so that what the
 * device says can be checked without one (fuzz/fw_cfg.cpp). */
#ifndef PAF_VIRTIO_FW_CFG_FILES_H
#define PAF_VIRTIO_FW_CFG_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "paf/platform.h"

/* The device: `select` chooses an item and rewinds it, `read` gives its next
 * `size` bytes (whatever the device wants them to be). */
struct fw_cfg_device {
  void (*select)(void *context, uint16_t selector);
  void (*read)(void *context, void *buf, uint32_t size);
  void *context;
};

/* paf_config_read (paf/platform.h) on `device`: the item called `name` in its
 * file directory, whose entry count is trusted only up to the selectors
 * fw_cfg has for files. */
paf_result_t fw_cfg_read_file(const struct fw_cfg_device *device, const char *name, void *buf,
                              size_t size, size_t *out_len);

#endif
