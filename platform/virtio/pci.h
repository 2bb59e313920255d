/* pci.c: PCI configuration space through the legacy ports 0xCF8/0xCFC,
 * device discovery, and making a device usable (BARs, decoding, bus mastering). */
#ifndef PAF_VIRTIO_PCI_H
#define PAF_VIRTIO_PCI_H

#include <stdint.h>

struct pci_device {
  uint8_t bus, slot, function;
  uint16_t vendor_id, device_id;
};

/* Offsets in every function's configuration header. */
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

uint8_t pci_read8(const struct pci_device *device, uint8_t offset);
uint16_t pci_read16(const struct pci_device *device, uint8_t offset);
uint32_t pci_read32(const struct pci_device *device, uint8_t offset);
void pci_write16(const struct pci_device *device, uint8_t offset, uint16_t value);
void pci_write32(const struct pci_device *device, uint8_t offset, uint32_t value);

/* Finds the first function on bus 0, or on a bus behind a bridge the firmware
 * numbered, for which `match` answers true. Returns 0 when none does. */
int pci_find(int (*match)(const struct pci_device *candidate), struct pci_device *found);

/* Gives every unassigned BAR an address (firmware such as qboot assigns none;
 * SeaBIOS assigns all; behind a bridge, whose windows are not programmed
 * here, only the firmware's addresses work), then turns on I/O and memory decoding and bus
 * mastering. Returns 0 when an address space ran out. */
int pci_enable(const struct pci_device *device);

/* A base address register, as pci_enable left it. `size` 0: no such BAR. */
struct pci_bar {
  uint64_t address;
  uint64_t size;
  int is_io;
};
struct pci_bar pci_bar(const struct pci_device *device, unsigned index);

/* The 8259 IRQ (0..15) the firmware routed the device's legacy interrupt
 * (INTx) to — SeaBIOS and qboot program the chipset's PIRQ routing and write
 * it in the interrupt line register — with INTx left enabled; PCI_NO_IRQ when
 * the device has no interrupt pin or no IRQ was assigned (0 or 0xff). */
#define PCI_NO_IRQ 0xffu
unsigned pci_legacy_irq(const struct pci_device *device);

/* The offsets of the capability list: the first (0 when there is no list),
 * then each next one (0 after the last). */
uint8_t pci_capability_first(const struct pci_device *device);
uint8_t pci_capability_next(const struct pci_device *device, uint8_t capability);

#endif
