/* paf_config_read: QEMU's firmware configuration device (fw_cfg), through its
 * I/O ports (selector 0x510, data 0x511; the DMA interface is not needed for
 * a few certificates). The device holds items by 16-bit selector; item 0x19
 * is the directory of named files (-fw_cfg name=NAME,file=PATH), big-endian:
 * a count, then one entry per file. Selecting an item rewinds it, so each
 * call reads the directory afresh: no state, nothing to set up at boot. */
#include <string.h>

#include "cpu.h"
#include "paf/platform.h"

#define FW_CFG_PORT_SELECTOR 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_NAME_SIZE 56 /* with its NUL */

/* One directory entry, as the device sends it. */
struct fw_cfg_file {
  uint32_t size;     /* big-endian */
  uint16_t selector; /* big-endian */
  uint16_t reserved;
  char name[FW_CFG_NAME_SIZE];
};
_Static_assert(sizeof(struct fw_cfg_file) == 64, "fw_cfg directory entries are 64 bytes");
_Static_assert(PAF_CONFIG_NAME_MAX == FW_CFG_NAME_SIZE - 1, "platform.h's limit is fw_cfg's");

static void select_item(uint16_t selector) { outw(FW_CFG_PORT_SELECTOR, selector); }

static void read_data(void *buf, uint32_t size) { insb(FW_CFG_PORT_DATA, buf, size); }

/* Without the device, the data port reads as 0xff: no signature. */
static int device_present(void) {
  char signature[4];
  select_item(FW_CFG_SIGNATURE);
  read_data(signature, sizeof signature);
  return memcmp(signature, "QEMU", sizeof signature) == 0;
}

/* Finds `name` in the file directory; 0 when absent. */
static int find_file(const char *name, struct fw_cfg_file *found) {
  uint32_t count;
  select_item(FW_CFG_FILE_DIR);
  read_data(&count, sizeof count);
  count = __builtin_bswap32(count);
  for (uint32_t i = 0; i < count; i++) {
    read_data(found, sizeof *found);
    found->name[FW_CFG_NAME_SIZE - 1] = '\0';
    if (strcmp(found->name, name) == 0) {
      found->size = __builtin_bswap32(found->size);
      found->selector = __builtin_bswap16(found->selector);
      return 1;
    }
  }
  return 0;
}

paf_result_t paf_config_read(const char *name, void *buf, size_t size, size_t *out_len) {
  if (name == NULL || name[0] == '\0' || strlen(name) > PAF_CONFIG_NAME_MAX) return PAF_R_EINVAL;
  struct fw_cfg_file file;
  if (!device_present() || !find_file(name, &file)) return PAF_R_EINVAL;
  *out_len = file.size;
  if (file.size > size) return PAF_R_AGAIN;
  select_item(file.selector);
  read_data(buf, file.size);
  return PAF_R_OK;
}
