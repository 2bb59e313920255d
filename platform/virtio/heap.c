/* The heap: the largest usable RAM region of the PVH memory map, less what
 * lies below the image's end (the image, the boot loader's data in the first
 * MiB), within the 4 GiB the page tables map. */
#include "kernel.h"

#define PAGE_SIZE 4096u
#define MAPPED_LIMIT (4ull << 30) /* pagetable.S */

extern char __image_end[];

static uint64_t align_down(uint64_t x) { return x & ~(uint64_t)(PAGE_SIZE - 1); }
static uint64_t align_up(uint64_t x) { return align_down(x + PAGE_SIZE - 1); }

/* The part of `entry` the heap may use: [*start, *end), possibly empty. */
static void usable_part(const struct hvm_memmap_entry *entry, uint64_t *start, uint64_t *end) {
  uint64_t lowest = align_up((uint64_t)(uintptr_t)__image_end);
  *start = align_up(entry->addr > lowest ? entry->addr : lowest);
  uint64_t top = entry->addr + entry->size;
  *end = align_down(top < MAPPED_LIMIT ? top : MAPPED_LIMIT);
}

struct heap_region heap_find(const struct hvm_start_info *start_info) {
  if (start_info->version < 1 || start_info->memmap_paddr == 0)
    virtio_fatal("the boot loader gave no memory map (PVH start info version %u)",
                 start_info->version);
  const struct hvm_memmap_entry *map =
      (const struct hvm_memmap_entry *)(uintptr_t)start_info->memmap_paddr;
  struct heap_region best = {0, 0};
  for (uint32_t i = 0; i < start_info->memmap_entries; i++) {
    uint64_t start, end;
    if (map[i].type != HVM_MEMMAP_TYPE_RAM) continue;
    usable_part(&map[i], &start, &end);
    if (end > start && end - start > best.size) best = (struct heap_region){start, end - start};
  }
  if (best.size == 0) virtio_fatal("no RAM above the image in the memory map");
  return best;
}
