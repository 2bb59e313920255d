/* The virtio PCI transport, modern (virtio 1.0 §4.1.4: registers found
 * through vendor capabilities, in memory BARs) and legacy (§4.1.4.8: fixed
 * registers in I/O BAR 0). Each operation is one function with a branch per
 * kind; the device type's driver never sees which. */
#include "cpu.h"
#include "virtio_pci.h"

/* Legacy registers, from BAR 0. The device configuration follows at 0x14
 * while MSI-X is off (it stays off: interrupts, when used, are INTx). */
#define LEGACY_DEVICE_FEATURES 0x00
#define LEGACY_DRIVER_FEATURES 0x04
#define LEGACY_QUEUE_PFN 0x08
#define LEGACY_QUEUE_SIZE 0x0c
#define LEGACY_QUEUE_SELECT 0x0e
#define LEGACY_QUEUE_NOTIFY 0x10
#define LEGACY_STATUS 0x12
#define LEGACY_ISR_STATUS 0x13
#define LEGACY_DEVICE_CONFIG 0x14
#define LEGACY_PFN_SHIFT 12

/* Modern: the vendor capability (struct virtio_pci_cap) and its kinds. */
#define PCI_CAPABILITY_VENDOR 0x09
#define CAP_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_NOTIFY_MULTIPLIER 16
#define CAP_COMMON_CFG 1
#define CAP_NOTIFY_CFG 2
#define CAP_ISR_CFG 3
#define CAP_DEVICE_CFG 4

/* Modern common configuration (struct virtio_pci_common_cfg). */
#define COMMON_DEVICE_FEATURE_SELECT 0x00
#define COMMON_DEVICE_FEATURE 0x04
#define COMMON_DRIVER_FEATURE_SELECT 0x08
#define COMMON_DRIVER_FEATURE 0x0c
#define COMMON_STATUS 0x14
#define COMMON_QUEUE_SELECT 0x16
#define COMMON_QUEUE_SIZE 0x18
#define COMMON_QUEUE_ENABLE 0x1c
#define COMMON_QUEUE_NOTIFY_OFF 0x1e
#define COMMON_QUEUE_DESC 0x20
#define COMMON_QUEUE_DRIVER 0x28
#define COMMON_QUEUE_DEVICE 0x30

#define RESET_POLLS 1000000u

static uint8_t read8(volatile uint8_t *base, unsigned offset) { return base[offset]; }
static uint16_t read16(volatile uint8_t *base, unsigned offset) {
  return *(volatile uint16_t *)(base + offset);
}
static uint32_t read32(volatile uint8_t *base, unsigned offset) {
  return *(volatile uint32_t *)(base + offset);
}
static void write8(volatile uint8_t *base, unsigned offset, uint8_t value) { base[offset] = value; }
static void write16(volatile uint8_t *base, unsigned offset, uint16_t value) {
  *(volatile uint16_t *)(base + offset) = value;
}
static void write32(volatile uint8_t *base, unsigned offset, uint32_t value) {
  *(volatile uint32_t *)(base + offset) = value;
}
/* 64-bit registers as two halves, low first (§4.1.3.1). */
static void write64(volatile uint8_t *base, unsigned offset, uint64_t value) {
  write32(base, offset, (uint32_t)value);
  write32(base, offset + 4, (uint32_t)(value >> 32));
}

/* ---- Opening ---- */

/* Where a vendor capability points: its BAR's address plus its offset; NULL
 * for an I/O BAR or one beyond the 4 GiB mapped. */
static volatile uint8_t *capability_region(const struct pci_device *pci, uint8_t capability) {
  struct pci_bar bar = pci_bar(pci, pci_read8(pci, capability + CAP_BAR));
  uint64_t address = bar.address + pci_read32(pci, capability + CAP_OFFSET);
  if (bar.size == 0 || bar.is_io || address >= (4ull << 30)) return NULL;
  return (volatile uint8_t *)(uintptr_t)address;
}

/* The first capability of each kind is the one to use (§4.1.4). */
static void read_capability(const struct pci_device *pci, uint8_t capability,
                            struct virtio_pci *device) {
  volatile uint8_t **slot = NULL;
  switch (pci_read8(pci, capability + CAP_TYPE)) {
    case CAP_COMMON_CFG:
      slot = &device->common;
      break;
    case CAP_NOTIFY_CFG:
      slot = &device->notify;
      break;
    case CAP_ISR_CFG:
      slot = &device->isr;
      break;
    case CAP_DEVICE_CFG:
      slot = &device->device_config;
      break;
    default:
      return;
  }
  if (*slot != NULL) return;
  *slot = capability_region(pci, capability);
  if (slot == &device->notify)
    device->notify_multiplier = pci_read32(pci, capability + CAP_NOTIFY_MULTIPLIER);
}

static int open_modern(const struct pci_device *pci, struct virtio_pci *device) {
  for (uint8_t capability = pci_capability_first(pci); capability != 0;
       capability = pci_capability_next(pci, capability))
    if (pci_read8(pci, capability) == PCI_CAPABILITY_VENDOR)
      read_capability(pci, capability, device);
  device->modern = 1;
  return device->common != NULL && device->notify != NULL && device->isr != NULL &&
         device->device_config != NULL;
}

static int open_legacy(const struct pci_device *pci, struct virtio_pci *device) {
  struct pci_bar bar = pci_bar(pci, 0);
  device->modern = 0;
  device->io_base = (uint16_t)bar.address;
  return bar.is_io && bar.size >= LEGACY_DEVICE_CONFIG;
}

int virtio_pci_open(const struct pci_device *pci, struct virtio_pci *device) {
  *device = (struct virtio_pci){0};
  if (open_modern(pci, device)) return 1;
  *device = (struct virtio_pci){0};
  return open_legacy(pci, device);
}

/* ---- Status ---- */

static uint8_t get_status(const struct virtio_pci *device) {
  return device->modern ? read8(device->common, COMMON_STATUS)
                        : inb(device->io_base + LEGACY_STATUS);
}

static void set_status(struct virtio_pci *device, uint8_t status) {
  if (device->modern)
    write8(device->common, COMMON_STATUS, status);
  else
    outb(device->io_base + LEGACY_STATUS, status);
}

static void add_status(struct virtio_pci *device, uint8_t bits) {
  set_status(device, get_status(device) | bits);
}

int virtio_pci_start(struct virtio_pci *device) {
  set_status(device, 0);
  /* A modern device may take time to reset: 0 reads back once it has. */
  uint32_t polls = 0;
  while (get_status(device) != 0)
    if (++polls == RESET_POLLS) return 0;
  add_status(device, VIRTIO_STATUS_ACKNOWLEDGE);
  add_status(device, VIRTIO_STATUS_DRIVER);
  return 1;
}

void virtio_pci_ready(struct virtio_pci *device) { add_status(device, VIRTIO_STATUS_DRIVER_OK); }
void virtio_pci_fail(struct virtio_pci *device) { add_status(device, VIRTIO_STATUS_FAILED); }

/* ---- Features ---- */

static uint64_t device_features(const struct virtio_pci *device) {
  if (!device->modern) return inl(device->io_base + LEGACY_DEVICE_FEATURES);
  write32(device->common, COMMON_DEVICE_FEATURE_SELECT, 0);
  uint64_t low = read32(device->common, COMMON_DEVICE_FEATURE);
  write32(device->common, COMMON_DEVICE_FEATURE_SELECT, 1);
  return (uint64_t)read32(device->common, COMMON_DEVICE_FEATURE) << 32 | low;
}

static void set_driver_features(const struct virtio_pci *device, uint64_t features) {
  if (!device->modern) {
    outl(device->io_base + LEGACY_DRIVER_FEATURES, (uint32_t)features);
    return;
  }
  write32(device->common, COMMON_DRIVER_FEATURE_SELECT, 0);
  write32(device->common, COMMON_DRIVER_FEATURE, (uint32_t)features);
  write32(device->common, COMMON_DRIVER_FEATURE_SELECT, 1);
  write32(device->common, COMMON_DRIVER_FEATURE, (uint32_t)(features >> 32));
}

int virtio_pci_negotiate(struct virtio_pci *device, uint64_t wanted, uint64_t *accepted) {
  /* The legacy interface has 32 feature bits: VERSION_1 is not among them. */
  if (!device->modern) wanted &= 0xffffffffu;
  *accepted = device_features(device) & wanted;
  set_driver_features(device, *accepted);
  if (device->modern) {
    add_status(device, VIRTIO_STATUS_FEATURES_OK);
    if (!(*accepted & VIRTIO_F_VERSION_1) || !(get_status(device) & VIRTIO_STATUS_FEATURES_OK)) {
      virtio_pci_fail(device);
      return 0;
    }
  }
  return 1;
}

/* ---- Queues ---- */

static uint16_t power_of_two_at_most(uint16_t n) {
  uint16_t p = 1;
  while (p <= n / 2) p = (uint16_t)(p * 2);
  return p;
}

static int setup_legacy_queue(struct virtio_pci *device, uint16_t index, struct virtq *queue) {
  outw(device->io_base + LEGACY_QUEUE_SELECT, index);
  uint16_t size = inw(device->io_base + LEGACY_QUEUE_SIZE);
  if (size == 0 || !virtq_init(queue, size)) return 0;
  outl(device->io_base + LEGACY_QUEUE_PFN, (uint32_t)((uintptr_t)queue->desc >> LEGACY_PFN_SHIFT));
  return 1;
}

static int setup_modern_queue(struct virtio_pci *device, uint16_t index, uint16_t max_size,
                              struct virtq *queue) {
  volatile uint8_t *common = device->common;
  write16(common, COMMON_QUEUE_SELECT, index);
  uint16_t size = read16(common, COMMON_QUEUE_SIZE);
  if (size == 0) return 0;
  if (size > max_size) size = max_size;
  size = power_of_two_at_most(size);
  if (!virtq_init(queue, size)) return 0;
  write16(common, COMMON_QUEUE_SIZE, size);
  write64(common, COMMON_QUEUE_DESC, (uintptr_t)queue->desc);
  write64(common, COMMON_QUEUE_DRIVER, (uintptr_t)queue->avail);
  write64(common, COMMON_QUEUE_DEVICE, (uintptr_t)queue->used);
  device->notify_offset[index] = read16(common, COMMON_QUEUE_NOTIFY_OFF);
  write16(common, COMMON_QUEUE_ENABLE, 1);
  return 1;
}

int virtio_pci_setup_queue(struct virtio_pci *device, uint16_t index, uint16_t max_size,
                           struct virtq *queue) {
  if (index >= VIRTIO_PCI_MAX_QUEUES) return 0;
  return device->modern ? setup_modern_queue(device, index, max_size, queue)
                        : setup_legacy_queue(device, index, queue);
}

void virtio_pci_notify(const struct virtio_pci *device, uint16_t index) {
  if (device->modern)
    write16(device->notify, device->notify_offset[index] * device->notify_multiplier, index);
  else
    outw(device->io_base + LEGACY_QUEUE_NOTIFY, index);
}

uint8_t virtio_pci_config8(const struct virtio_pci *device, unsigned offset) {
  if (!device->modern) return inb((uint16_t)(device->io_base + LEGACY_DEVICE_CONFIG + offset));
  return read8(device->device_config, offset);
}

/* ---- Interrupts ---- */

/* Reading the ISR status clears it and lowers the INTx line (§4.1.4.5). */
uint8_t virtio_pci_interrupt_status(const struct virtio_pci *device) {
  if (!device->modern) return inb((uint16_t)(device->io_base + LEGACY_ISR_STATUS));
  return read8(device->isr, 0);
}
