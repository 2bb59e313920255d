/* paf_config_read: QEMU's firmware configuration device (fw_cfg), through its
 * I/O ports (selector 0x510, data 0x511; the DMA interface is not needed for
 * a few certificates). The device holds items by 16-bit selector; the named
 * files are read from its directory by fw_cfg_files.c. */
#include "cpu.h"
#include "fw_cfg_files.h"
#include "paf/platform.h"

#define FW_CFG_PORT_SELECTOR 0x510
#define FW_CFG_PORT_DATA 0x511

static void select_item(void *context, uint16_t selector) {
  (void)context;
  outw(FW_CFG_PORT_SELECTOR, selector);
}

static void read_data(void *context, void *buf, uint32_t size) {
  (void)context;
  insb(FW_CFG_PORT_DATA, buf, size);
}

paf_result_t paf_config_read(const char *name, void *buf, size_t size, size_t *out_len) {
  static const struct fw_cfg_device ports = {select_item, read_data, NULL};
  return fw_cfg_read_file(&ports, name, buf, size, out_len);
}
