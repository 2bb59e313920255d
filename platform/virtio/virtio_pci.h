/* virtio_pci.c: the virtio PCI transport (virtio 1.0 §4.1) — how a driver
 * resets a device, negotiates features, sets up its queues, notifies it and
 * reads its configuration, through the modern capabilities (registers in
 * memory BARs) or the legacy I/O BAR 0. Knows no device type. */
#ifndef PAF_VIRTIO_VIRTIO_PCI_H
#define PAF_VIRTIO_VIRTIO_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "pci.h"
#include "virtio_ring.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_MAX_QUEUES 8

/* Device status bits (§2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_F_ANY_LAYOUT (1ull << 27) /* legacy; implied by VERSION_1 */
#define VIRTIO_F_VERSION_1 (1ull << 32)  /* required of modern devices */

struct virtio_pci {
  int modern;
  uint16_t io_base; /* legacy: the registers, in BAR 0 */
  /* modern: the regions the capabilities point to */
  volatile uint8_t *common, *notify, *isr, *device_config;
  uint32_t notify_multiplier;
  uint16_t notify_offset[VIRTIO_PCI_MAX_QUEUES];
};

/* Finds the device's registers (modern when it offers the capabilities,
 * else legacy). The PCI device must be enabled (pci_enable). Returns 0 when
 * neither is usable. */
int virtio_pci_open(const struct pci_device *pci, struct virtio_pci *device);

/* Resets the device and acknowledges it (ACKNOWLEDGE | DRIVER): the first
 * steps of §3.1.1. Returns 0 when the device does not reset. */
int virtio_pci_start(struct virtio_pci *device);

/* Accepts the features of `wanted` the device offers and returns them in
 * `*accepted`; a modern device must also accept VERSION_1 and confirm
 * FEATURES_OK. Returns 0 on failure (the device is then marked FAILED). */
int virtio_pci_negotiate(struct virtio_pci *device, uint64_t wanted, uint64_t *accepted);

/* Sets up queue `index` with at most `max_size` descriptors (a legacy device
 * imposes its own size) and gives it to the device. Returns 0 when the device
 * has no such queue or memory ran out. */
int virtio_pci_setup_queue(struct virtio_pci *device, uint16_t index, uint16_t max_size,
                           struct virtq *queue);

/* The last step: the driver is ready, the device may use its queues. */
void virtio_pci_ready(struct virtio_pci *device);
void virtio_pci_fail(struct virtio_pci *device);

/* Tells the device that queue `index` has new buffers. */
void virtio_pci_notify(const struct virtio_pci *device, uint16_t index);

/* Acknowledges the device's legacy interrupt (INTx): reads and so clears
 * its ISR status, which lowers the line. Bit 0: a queue has used buffers;
 * bit 1: the configuration changed. 0: the interrupt was not this device's. */
uint8_t virtio_pci_interrupt_status(const struct virtio_pci *device);

/* A byte of the device-specific configuration (a NIC's MAC, ...). */
uint8_t virtio_pci_config8(const struct virtio_pci *device, unsigned offset);

#endif
