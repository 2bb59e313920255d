/* virtio_ring.c: split virtqueues (virtio 1.0 §2.4, legacy layout) — the
 * descriptor table, the available ring the driver fills and the used ring the
 * device fills. Knows buffers, not what they carry. */
#ifndef PAF_VIRTIO_VIRTIO_RING_H
#define PAF_VIRTIO_VIRTIO_RING_H

#include <stddef.h>
#include <stdint.h>

struct virtq_desc {
  uint64_t address;
  uint32_t length;
  uint16_t flags;
  uint16_t next;
};

struct virtq_avail {
  uint16_t flags;
  uint16_t index;
  uint16_t ring[];
};

struct virtq_used_element {
  uint32_t id;
  uint32_t length;
};

struct virtq_used {
  uint16_t flags;
  uint16_t index;
  struct virtq_used_element ring[];
};

struct virtq {
  uint16_t size; /* descriptors, a power of two */
  struct virtq_desc *desc;
  struct virtq_avail *avail;
  volatile struct virtq_used *used;
  uint16_t used_seen; /* the device's used index we have caught up with */
  uint16_t free_head; /* unused descriptors, chained through `next` */
  uint16_t free_count;
};

/* The legacy alignment of the used ring; the legacy transport derives the
 * rings' places from the descriptor table's page number and this. */
#define VIRTQ_LEGACY_ALIGN 4096u

/* Allocates a ring of `size` descriptors (a power of two), zeroed, in one
 * page-aligned block laid out as legacy devices require (modern devices take
 * any layout). Asks the device for no interrupts (the driver polls) until
 * virtq_enable_interrupts. Returns 0 when out of memory, or when `size`
 * (which a legacy device imposes) is 0 or not a power of two. */
int virtq_init(struct virtq *queue, uint16_t size);

/* Asks the device to interrupt whenever it returns buffers (a hint, which
 * virtio lets a device ignore: the driver still checks the ring). */
void virtq_enable_interrupts(struct virtq *queue);

/* Offers one buffer (not NULL) to the device: to read from, or with
 * `device_writes`, to fill. Addresses are physical; platform/virtio maps
 * memory 1:1. Returns 0 when every descriptor is in use. The device learns
 * of it once notified. */
int virtq_offer(struct virtq *queue, void *buffer, uint32_t length, int device_writes);

/* Whether the device has returned a buffer not yet taken. */
int virtq_has_used(const struct virtq *queue);

/* What virtq_take_used found. */
enum virtq_take {
  VIRTQ_NONE,  /* the device has returned nothing more */
  VIRTQ_TAKEN, /* a buffer */
  VIRTQ_BOGUS  /* an entry naming a descriptor the device does not hold (it
                  was never offered, or was returned already): skipped */
};

/* Takes the oldest entry the device returned: the pointer given to
 * virtq_offer in `*buffer`, and in `*length` how many bytes the device wrote
 * into it. Only a descriptor offered and not yet returned is taken, so that
 * a device that lies about ids can neither hand one buffer back twice nor
 * grow the free list beyond the ring. */
enum virtq_take virtq_take_used(struct virtq *queue, void **buffer, uint32_t *length);

/* After offers: whether the device wants a notification (it may be busy with
 * the queue already and say it needs none). */
int virtq_needs_notify(const struct virtq *queue);

#endif
