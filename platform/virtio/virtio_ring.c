/* Split virtqueues. Each buffer takes one descriptor (no chains): a frame and
 * its header fit one buffer, and the driver keeps no per-descriptor state,
 * since a descriptor's address is the buffer's pointer (1:1 mapping), and 0
 * while the driver holds the descriptor. x86 keeps
 * stores in order and loads in order, so the barriers are compiler barriers,
 * except between publishing and reading the device's flags (a store then a load). */
#include <stdlib.h>
#include <string.h>

#include "virtio_ring.h"

#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

static size_t align_up(size_t x, size_t align) { return (x + align - 1) & ~(align - 1); }

/* Legacy layout: descriptors, then the available ring (+ used_event), then at
 * the next VIRTQ_LEGACY_ALIGN boundary the used ring (+ avail_event). */
static size_t used_offset(uint16_t size) {
  return align_up(sizeof(struct virtq_desc) * size + sizeof(struct virtq_avail) + 2u * size + 2u,
                  VIRTQ_LEGACY_ALIGN);
}

static size_t ring_bytes(uint16_t size) {
  return align_up(
      used_offset(size) + sizeof(struct virtq_used) + sizeof(struct virtq_used_element) * size + 2u,
      VIRTQ_LEGACY_ALIGN);
}

int virtq_init(struct virtq *queue, uint16_t size) {
  if (size == 0 || (size & (size - 1)) != 0) return 0; /* the masks below need a power of two */
  size_t bytes = ring_bytes(size);
  uint8_t *memory = aligned_alloc(VIRTQ_LEGACY_ALIGN, bytes);
  if (memory == NULL) return 0;
  memset(memory, 0, bytes);
  queue->size = size;
  queue->desc = (struct virtq_desc *)memory;
  queue->avail = (struct virtq_avail *)(memory + sizeof(struct virtq_desc) * size);
  queue->used = (volatile struct virtq_used *)(memory + used_offset(size));
  queue->avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
  queue->used_seen = 0;
  for (uint16_t i = 0; i + 1 < size; i++) queue->desc[i].next = (uint16_t)(i + 1);
  queue->free_head = 0;
  queue->free_count = size;
  return 1;
}

void virtq_enable_interrupts(struct virtq *queue) {
  __atomic_store_n(&queue->avail->flags, 0, __ATOMIC_RELEASE);
}

int virtq_offer(struct virtq *queue, void *buffer, uint32_t length, int device_writes) {
  if (queue->free_count == 0) return 0;
  uint16_t id = queue->free_head;
  struct virtq_desc *desc = &queue->desc[id];
  queue->free_head = desc->next;
  queue->free_count--;
  desc->address = (uint64_t)(uintptr_t)buffer;
  desc->length = length;
  desc->flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
  uint16_t index = queue->avail->index;
  queue->avail->ring[index & (queue->size - 1)] = id;
  /* The entry before the index that publishes it. */
  __atomic_store_n(&queue->avail->index, (uint16_t)(index + 1), __ATOMIC_RELEASE);
  return 1;
}

int virtq_has_used(const struct virtq *queue) {
  return __atomic_load_n(&queue->used->index, __ATOMIC_ACQUIRE) != queue->used_seen;
}

enum virtq_take virtq_take_used(struct virtq *queue, void **buffer, uint32_t *length) {
  if (!virtq_has_used(queue)) return VIRTQ_NONE; /* acquire: the element is read after the index */
  volatile struct virtq_used_element *element =
      &queue->used->ring[queue->used_seen & (queue->size - 1)];
  uint16_t id = (uint16_t)(element->id & (queue->size - 1u)); /* never trust it to index */
  uint32_t written = element->length;
  queue->used_seen++;
  struct virtq_desc *desc = &queue->desc[id];
  if (desc->address == 0) return VIRTQ_BOGUS; /* on the free list: not the device's to return */
  *buffer = (void *)(uintptr_t)desc->address;
  if (length != NULL) *length = written;
  desc->address = 0;
  desc->next = queue->free_head;
  queue->free_head = id;
  queue->free_count++;
  return VIRTQ_TAKEN;
}

int virtq_needs_notify(const struct virtq *queue) {
  /* The device must see the new index before we read its flags, or it may
   * have gone idle unseen. */
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  return !(queue->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}
