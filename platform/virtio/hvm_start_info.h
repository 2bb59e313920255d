/* What a PVH boot loader (QEMU's -kernel) hands the kernel in %ebx: Xen's
 * public ABI (xen/include/public/arch-x86/hvm/start_info.h), version 1.
 * All addresses are physical; paf maps memory 1:1, so they are usable as is. */
#ifndef PAF_VIRTIO_HVM_START_INFO_H
#define PAF_VIRTIO_HVM_START_INFO_H

#include <stdint.h>

#define HVM_START_MAGIC 0x336ec578u
#define HVM_MEMMAP_TYPE_RAM 1 /* E820 types: 1 is usable RAM */

struct hvm_start_info {
  uint32_t magic;
  uint32_t version; /* memmap_* exist from version 1 on */
  uint32_t flags;
  uint32_t nr_modules;
  uint64_t modlist_paddr;
  uint64_t cmdline_paddr; /* NUL-terminated, or 0 */
  uint64_t rsdp_paddr;
  uint64_t memmap_paddr; /* struct hvm_memmap_entry[memmap_entries] */
  uint32_t memmap_entries;
  uint32_t reserved;
};

struct hvm_memmap_entry {
  uint64_t addr;
  uint64_t size;
  uint32_t type;
  uint32_t reserved;
};

#endif
