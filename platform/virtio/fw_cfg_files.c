/* The fw_cfg file directory (item 0x19), big-endian: a count, then one entry
 * per file. Selecting an item rewinds it, so each call reads the directory
 * afresh: no state, nothing to set up at boot. */
#include "fw_cfg_files.h"

#include <string.h>

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_NAME_SIZE 56 /* with its NUL */
/* Files take the selectors from 0x20 up to the entry mask 0x3fff (QEMU's
 * FW_CFG_FILE_FIRST, FW_CFG_ENTRY_MASK): a directory that claims more entries
 * lies, and would have us read for hours through the data port. */
#define FW_CFG_MAX_FILES (0x4000 - 0x20)

/* One directory entry, as the device sends it. */
struct fw_cfg_file {
  uint32_t size;     /* big-endian */
  uint16_t selector; /* big-endian */
  uint16_t reserved;
  char name[FW_CFG_NAME_SIZE];
};
_Static_assert(sizeof(struct fw_cfg_file) == 64, "fw_cfg directory entries are 64 bytes");
_Static_assert(PAF_CONFIG_NAME_MAX == FW_CFG_NAME_SIZE - 1, "platform.h's limit is fw_cfg's");

/* Without the device, the data port reads as 0xff: no signature. */
static int device_present(const struct fw_cfg_device *device) {
  char signature[4];
  device->select(device->context, FW_CFG_SIGNATURE);
  device->read(device->context, signature, sizeof signature);
  return memcmp(signature, "QEMU", sizeof signature) == 0;
}

/* Finds `name` in the file directory; 0 when absent. */
static int find_file(const struct fw_cfg_device *device, const char *name,
                     struct fw_cfg_file *found) {
  uint32_t count;
  device->select(device->context, FW_CFG_FILE_DIR);
  device->read(device->context, &count, sizeof count);
  count = __builtin_bswap32(count);
  if (count > FW_CFG_MAX_FILES) return 0;
  for (uint32_t i = 0; i < count; i++) {
    device->read(device->context, found, sizeof *found);
    found->name[FW_CFG_NAME_SIZE - 1] = '\0';
    if (strcmp(found->name, name) == 0) {
      found->size = __builtin_bswap32(found->size);
      found->selector = __builtin_bswap16(found->selector);
      return 1;
    }
  }
  return 0;
}

paf_result_t fw_cfg_read_file(const struct fw_cfg_device *device, const char *name, void *buf,
                              size_t size, size_t *out_len) {
  if (name == NULL || name[0] == '\0' || strlen(name) > PAF_CONFIG_NAME_MAX) return PAF_R_EINVAL;
  struct fw_cfg_file file;
  if (!device_present(device) || !find_file(device, name, &file)) return PAF_R_EINVAL;
  *out_len = file.size;
  if (file.size > size) return PAF_R_AGAIN;
  device->select(device->context, file.selector);
  device->read(device->context, buf, file.size);
  return PAF_R_OK;
}
