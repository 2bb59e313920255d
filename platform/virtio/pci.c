/* PCI: configuration space through the legacy mechanism #1 (address at
 * 0xCF8, data at 0xCFC), which QEMU's pc and q35 machines both offer; a scan
 * of bus 0 and of the buses behind bridges; BAR sizing and assignment. */
#include "cpu.h"
#include "pci.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define CONFIG_ENABLE 0x80000000u

#define PCI_VENDOR_NONE 0xffff
#define PCI_HEADER_TYPE 0x0e
#define HEADER_MULTIFUNCTION 0x80
#define HEADER_LAYOUT_MASK 0x7f
#define HEADER_LAYOUT_BRIDGE 1
#define PCI_SECONDARY_BUS 0x19
#define PCI_BAR0 0x10
#define PCI_BAR_COUNT 6
#define BAR_IS_IO 0x1u
#define BAR_MEMORY_TYPE_MASK 0x6u
#define BAR_MEMORY_TYPE_64 0x4u
#define BAR_IO_ADDRESS_MASK 0xfffffffcu
#define BAR_MEMORY_ADDRESS_MASK 0xfffffff0u
#define COMMAND_IO 0x1u
#define COMMAND_MEMORY 0x2u
#define COMMAND_BUS_MASTER 0x4u
#define COMMAND_INTX_DISABLE 0x400u
#define STATUS_CAPABILITIES 0x10u
#define CAPABILITY_POINTER_MASK 0xfcu
#define MAX_BRIDGE_DEPTH 8 /* a bad bus numbering must not recurse forever */

/* Where unassigned BARs go: the top of the 32-bit MMIO hole (above q35's
 * MMCONFIG window at 0xb0000000, below the IOAPIC) and the upper I/O ports,
 * both unused when the firmware assigned nothing. Within the 4 GiB that
 * pagetable.S maps. */
#define MMIO_WINDOW_START 0xc0000000ull
#define MMIO_WINDOW_END 0xfec00000ull
#define IO_WINDOW_START 0xc000u
#define IO_WINDOW_END 0x10000u
#define MMIO_MIN_ALIGN 4096u /* a BAR per page: nothing else shares its mapping */

static uint64_t next_mmio = MMIO_WINDOW_START;
static uint64_t next_io = IO_WINDOW_START;

static void select_register(const struct pci_device *device, uint8_t offset) {
  outl(CONFIG_ADDRESS, CONFIG_ENABLE | (uint32_t)device->bus << 16 | (uint32_t)device->slot << 11 |
                           (uint32_t)device->function << 8 | (offset & 0xfcu));
}

uint32_t pci_read32(const struct pci_device *device, uint8_t offset) {
  select_register(device, offset);
  return inl(CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_device *device, uint8_t offset) {
  return (uint16_t)(pci_read32(device, offset) >> (8 * (offset & 2)));
}

uint8_t pci_read8(const struct pci_device *device, uint8_t offset) {
  return (uint8_t)(pci_read32(device, offset) >> (8 * (offset & 3)));
}

void pci_write32(const struct pci_device *device, uint8_t offset, uint32_t value) {
  select_register(device, offset);
  outl(CONFIG_DATA, value);
}

void pci_write16(const struct pci_device *device, uint8_t offset, uint16_t value) {
  select_register(device, offset);
  outw((uint16_t)(CONFIG_DATA + (offset & 2)), value);
}

/* ---- Discovery ---- */

static int scan_bus(uint8_t bus, int (*match)(const struct pci_device *), struct pci_device *found,
                    int depth);

/* Looks at one function: a match, or a bridge whose bus to scan in turn. */
static int visit(struct pci_device *device, int (*match)(const struct pci_device *),
                 struct pci_device *found, int depth) {
  if (match(device)) {
    *found = *device;
    return 1;
  }
  if ((pci_read8(device, PCI_HEADER_TYPE) & HEADER_LAYOUT_MASK) != HEADER_LAYOUT_BRIDGE) return 0;
  uint8_t secondary = pci_read8(device, PCI_SECONDARY_BUS);
  /* 0: the firmware numbered no bus behind it (qboot does not). */
  return secondary != 0 && depth < MAX_BRIDGE_DEPTH && scan_bus(secondary, match, found, depth + 1);
}

static int scan_bus(uint8_t bus, int (*match)(const struct pci_device *), struct pci_device *found,
                    int depth) {
  for (uint8_t slot = 0; slot < 32; slot++) {
    for (uint8_t function = 0; function < 8; function++) {
      struct pci_device device = {.bus = bus, .slot = slot, .function = function};
      uint32_t id = pci_read32(&device, 0);
      device.vendor_id = (uint16_t)id;
      device.device_id = (uint16_t)(id >> 16);
      if (device.vendor_id == PCI_VENDOR_NONE) {
        if (function == 0) break; /* no device in this slot */
        continue;
      }
      if (visit(&device, match, found, depth)) return 1;
      if (function == 0 && !(pci_read8(&device, PCI_HEADER_TYPE) & HEADER_MULTIFUNCTION)) break;
    }
  }
  return 0;
}

int pci_find(int (*match)(const struct pci_device *candidate), struct pci_device *found) {
  return scan_bus(0, match, found, 0);
}

/* ---- BARs ---- */

static uint8_t bar_offset(unsigned index) { return (uint8_t)(PCI_BAR0 + 4 * index); }

static int bar_is_64bit(uint32_t value) {
  return !(value & BAR_IS_IO) && (value & BAR_MEMORY_TYPE_MASK) == BAR_MEMORY_TYPE_64;
}

/* Writes all ones and reads back which address bits the BAR implements;
 * decoding is off meanwhile, so the device answers at no stray address. */
static uint32_t size_mask(const struct pci_device *device, uint8_t offset) {
  uint32_t saved = pci_read32(device, offset);
  pci_write32(device, offset, 0xffffffffu);
  uint32_t mask = pci_read32(device, offset);
  pci_write32(device, offset, saved);
  return mask;
}

static struct pci_bar probe_bar(const struct pci_device *device, unsigned index) {
  struct pci_bar bar = {0, 0, 0};
  uint8_t offset = bar_offset(index);
  uint32_t low = pci_read32(device, offset);
  uint16_t command = pci_read16(device, PCI_COMMAND);
  pci_write16(device, PCI_COMMAND, command & (uint16_t) ~(COMMAND_IO | COMMAND_MEMORY));
  uint32_t mask = size_mask(device, offset);
  if (low & BAR_IS_IO) {
    bar.is_io = 1;
    bar.address = low & BAR_IO_ADDRESS_MASK;
    /* Some devices implement only the low 16 bits of an I/O BAR. */
    bar.size = mask ? (uint32_t) ~((mask | 0xffff0000u) & BAR_IO_ADDRESS_MASK) + 1 : 0;
  } else if (bar_is_64bit(low) && index + 1 < PCI_BAR_COUNT) {
    uint64_t high_mask = size_mask(device, bar_offset(index + 1));
    uint64_t full_mask = high_mask << 32 | (mask & BAR_MEMORY_ADDRESS_MASK);
    bar.address =
        (uint64_t)pci_read32(device, bar_offset(index + 1)) << 32 | (low & BAR_MEMORY_ADDRESS_MASK);
    bar.size = mask ? ~full_mask + 1 : 0;
  } else {
    bar.address = low & BAR_MEMORY_ADDRESS_MASK;
    bar.size = mask ? (uint32_t) ~(mask & BAR_MEMORY_ADDRESS_MASK) + 1 : 0;
  }
  pci_write16(device, PCI_COMMAND, command);
  return bar;
}

/* Whether BAR `index` holds the high half of a 64-bit BAR before it. */
static int is_high_half(const struct pci_device *device, unsigned index) {
  for (unsigned i = 0; i < index; i++)
    if (bar_is_64bit(pci_read32(device, bar_offset(i))) && ++i == index) return 1;
  return 0;
}

struct pci_bar pci_bar(const struct pci_device *device, unsigned index) {
  if (index >= PCI_BAR_COUNT || is_high_half(device, index)) return (struct pci_bar){0, 0, 0};
  return probe_bar(device, index);
}

/* A bump allocator: BARs are powers of two, aligned to their size. */
static int allocate(uint64_t *next, uint64_t end, uint64_t size, uint64_t min_align,
                    uint64_t *address) {
  uint64_t align = size > min_align ? size : min_align;
  uint64_t start = (*next + align - 1) & ~(align - 1);
  if (start + size > end || start + size < start) return 0;
  *address = start;
  *next = start + size;
  return 1;
}

static int assign_bar(const struct pci_device *device, unsigned index, struct pci_bar bar) {
  uint64_t address;
  int ok = bar.is_io ? allocate(&next_io, IO_WINDOW_END, bar.size, 4, &address)
                     : allocate(&next_mmio, MMIO_WINDOW_END, bar.size, MMIO_MIN_ALIGN, &address);
  if (!ok) return 0;
  uint8_t offset = bar_offset(index);
  uint32_t flags = pci_read32(device, offset) & (bar.is_io ? 0x3u : 0xfu);
  pci_write32(device, offset, (uint32_t)address | flags);
  if (bar_is_64bit(flags)) pci_write32(device, bar_offset(index + 1), (uint32_t)(address >> 32));
  return 1;
}

int pci_enable(const struct pci_device *device) {
  for (unsigned index = 0; index < PCI_BAR_COUNT; index++) {
    struct pci_bar bar = pci_bar(device, index);
    if (bar.size != 0 && bar.address == 0 && !assign_bar(device, index, bar)) return 0;
  }
  uint16_t command = pci_read16(device, PCI_COMMAND);
  pci_write16(device, PCI_COMMAND, command | COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER);
  return 1;
}

/* ---- Legacy interrupt ---- */

/* Firmware that routed nothing leaves the line 0 (the timer's IRQ, as 2 is
 * the cascade's: neither can be a PCI device's) or 0xff ("unknown"). */
unsigned pci_legacy_irq(const struct pci_device *device) {
  uint8_t line = pci_read8(device, PCI_INTERRUPT_LINE);
  if (pci_read8(device, PCI_INTERRUPT_PIN) == 0 || line == 0 || line == 2 || line >= 16)
    return PCI_NO_IRQ;
  uint16_t command = pci_read16(device, PCI_COMMAND);
  pci_write16(device, PCI_COMMAND, command & (uint16_t)~COMMAND_INTX_DISABLE);
  return line;
}

/* ---- Capabilities ---- */

uint8_t pci_capability_first(const struct pci_device *device) {
  if (!(pci_read16(device, PCI_STATUS) & STATUS_CAPABILITIES)) return 0;
  return pci_read8(device, PCI_CAPABILITY_LIST) & CAPABILITY_POINTER_MASK;
}

uint8_t pci_capability_next(const struct pci_device *device, uint8_t capability) {
  return pci_read8(device, (uint8_t)(capability + 1)) & CAPABILITY_POINTER_MASK;
}
