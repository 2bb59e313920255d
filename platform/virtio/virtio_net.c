/* The network device: the first virtio-net NIC on the PCI bus (modern
 * 1af4:1041, or transitional/legacy 1af4:1000). The receive queue is kept
 * full of buffers, and interrupts through the legacy INTx line the firmware
 * routed (irq.c), which wakes paf_yield at once; without a line, yield.c
 * polls it. Sent buffers come back to a free list on the next send, with no
 * interrupt. Each buffer holds the virtio-net header, then one Ethernet
 * frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "paf/platform.h"
#include "pci.h"
#include "virtio_pci.h"

#define VIRTIO_NET_LEGACY_DEVICE 0x1000 /* transitional ID of a network card */
#define VIRTIO_NET_MODERN_DEVICE 0x1041 /* 0x1040 + device type 1 */
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)
#define CONFIG_MAC 0
/* struct virtio_net_hdr: 10 bytes without MRG_RXBUF (not asked for), 12
 * with VERSION_1, whose header always has num_buffers. All zero on send: no
 * offloads were negotiated. */
#define LEGACY_HEADER_SIZE 10
#define MODERN_HEADER_SIZE 12
#define RECEIVE_QUEUE 0
#define TRANSMIT_QUEUE 1
#define MAX_QUEUE_SIZE 256
#define MTU 1500
#define FRAME_MAX (MTU + PAF_NET_HLEN)
#define BUFFER_SIZE 1536  /* header + FRAME_MAX, rounded up */
#define BUFFER_ALIGN 4096 /* the buffers are one page-aligned block each way */
#define NET_HANDLE 0      /* one NIC: handle 0 */

struct virtio_net {
  int acquired;
  struct pci_device pci;
  struct virtio_pci device;
  struct virtq receive, transmit;
  unsigned irq; /* PCI_NO_IRQ: polled */
  size_t header_size;
  uint8_t mac[PAF_NET_ALEN];
  uint8_t **free_transmit_buffers; /* a stack of transmit.size entries */
  uint16_t free_transmit_count;
};

static struct virtio_net nic;

static int is_virtio_net(const struct pci_device *candidate) {
  return candidate->vendor_id == VIRTIO_PCI_VENDOR &&
         (candidate->device_id == VIRTIO_NET_LEGACY_DEVICE ||
          candidate->device_id == VIRTIO_NET_MODERN_DEVICE);
}

/* ---- Setting up ---- */

/* `count` buffers in one page-aligned block: aligned_alloc (C11) takes only
 * a size that is a multiple of the alignment. */
static uint8_t *allocate_buffers(uint16_t count) {
  size_t bytes = ((size_t)count * BUFFER_SIZE + BUFFER_ALIGN - 1) & ~(size_t)(BUFFER_ALIGN - 1);
  return aligned_alloc(BUFFER_ALIGN, bytes);
}

/* Gives the device every receive descriptor, each with its own buffer. */
static int fill_receive_queue(void) {
  uint8_t *buffers = allocate_buffers(nic.receive.size);
  if (buffers == NULL) return 0;
  for (size_t i = 0; i < nic.receive.size; i++)
    virtq_offer(&nic.receive, buffers + i * BUFFER_SIZE, BUFFER_SIZE, 1);
  return 1;
}

static int allocate_transmit_buffers(void) {
  uint16_t count = nic.transmit.size;
  uint8_t *buffers = allocate_buffers(count);
  nic.free_transmit_buffers = malloc(count * sizeof *nic.free_transmit_buffers);
  if (buffers == NULL || nic.free_transmit_buffers == NULL) return 0;
  for (uint16_t i = 0; i < count; i++)
    nic.free_transmit_buffers[i] = buffers + (size_t)i * BUFFER_SIZE;
  nic.free_transmit_count = count;
  return 1;
}

/* The device's MAC, or without the MAC feature a random locally
 * administered one. */
static void read_mac(uint64_t features) {
  if (features & VIRTIO_NET_F_MAC) {
    for (unsigned i = 0; i < PAF_NET_ALEN; i++)
      nic.mac[i] = virtio_pci_config8(&nic.device, CONFIG_MAC + i);
    return;
  }
  paf_entropy(nic.mac, sizeof nic.mac);
  nic.mac[0] = (uint8_t)((nic.mac[0] & 0xfe) | 0x02);
}

/* §3.1.1, the driver's initialization sequence. */
static const char *initialize(void) {
  if (!pci_find(is_virtio_net, &nic.pci)) return "no virtio-net device on the PCI bus";
  if (!pci_enable(&nic.pci)) return "cannot assign the device's BARs";
  if (!virtio_pci_open(&nic.pci, &nic.device)) return "the device has no usable registers";
  if (!virtio_pci_start(&nic.device)) return "the device does not reset";
  uint64_t features;
  uint64_t wanted =
      VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_F_ANY_LAYOUT | VIRTIO_F_VERSION_1;
  if (!virtio_pci_negotiate(&nic.device, wanted, &features)) return "feature negotiation failed";
  nic.header_size = features & VIRTIO_F_VERSION_1 ? MODERN_HEADER_SIZE : LEGACY_HEADER_SIZE;
  if (!virtio_pci_setup_queue(&nic.device, RECEIVE_QUEUE, MAX_QUEUE_SIZE, &nic.receive) ||
      !virtio_pci_setup_queue(&nic.device, TRANSMIT_QUEUE, MAX_QUEUE_SIZE, &nic.transmit))
    return "cannot set up the queues";
  if (!fill_receive_queue() || !allocate_transmit_buffers()) return "out of memory for buffers";
  read_mac(features);
  virtio_pci_ready(&nic.device);
  virtio_pci_notify(&nic.device, RECEIVE_QUEUE);
  return NULL;
}

/* ---- Interrupts ---- */

/* Run by irq.c: reading the ISR status lowers the line. Whatever it says,
 * paf_yield looks at the receive ring next. */
static void acknowledge_interrupt(void) { virtio_pci_interrupt_status(&nic.device); }

/* Received frames interrupt once the device is running, when the firmware
 * gave it an IRQ (SeaBIOS and qboot do); else they are polled. */
static void enable_receive_interrupt(void) {
  nic.irq = pci_legacy_irq(&nic.pci);
  if (nic.irq == PCI_NO_IRQ) {
    puts("paf/virtio: net: the firmware assigned the NIC no IRQ: its receive ring is polled");
    return;
  }
  virtq_enable_interrupts(&nic.receive);
  irq_attach_pci(nic.irq, acknowledge_interrupt);
}

static void print_ready(void) {
  const uint8_t *m = nic.mac;
  char irq[8] = "polled";
  if (nic.irq != PCI_NO_IRQ) snprintf(irq, sizeof irq, "irq %u", nic.irq);
  printf(
      "paf/virtio: virtio-net (%s) at %02x:%02x.%x, mac %02x:%02x:%02x:%02x:%02x:%02x, "
      "queues %u/%u, %s\n",
      nic.device.modern ? "modern" : "legacy", nic.pci.bus, nic.pci.slot, nic.pci.function, m[0],
      m[1], m[2], m[3], m[4], m[5], nic.receive.size, nic.transmit.size, irq);
}

/* Every name means the first NIC: there is only one to give. */
paf_result_t paf_net_acquire(const char *name, paf_handle_t *handle, struct paf_net_info *info) {
  (void)name;
  if (nic.acquired) return PAF_R_EINVAL;
  const char *error = initialize();
  if (error != NULL) {
    printf("paf/virtio: net: %s\n", error);
    if (nic.device.common != NULL || nic.device.io_base != 0) virtio_pci_fail(&nic.device);
    nic = (struct virtio_net){0};
    return PAF_R_EINVAL;
  }
  nic.acquired = 1;
  enable_receive_interrupt();
  print_ready();
  *handle = NET_HANDLE;
  memcpy(info->mac_address, nic.mac, PAF_NET_ALEN);
  info->mtu = MTU;
  return PAF_R_OK;
}

/* ---- Receiving ---- */

static void recycle_receive_buffer(uint8_t *buffer) {
  virtq_offer(&nic.receive, buffer, BUFFER_SIZE, 1);
  if (virtq_needs_notify(&nic.receive)) virtio_pci_notify(&nic.device, RECEIVE_QUEUE);
}

/* A used buffer that holds less than a header, or more than a frame, or an
 * entry for a buffer the device does not hold, is an error of the device:
 * reported, so that a ready handle never answers AGAIN. */
paf_result_t paf_net_read(paf_handle_t handle, uint8_t *buf, size_t size, size_t *read_size) {
  if (!nic.acquired || handle != NET_HANDLE || size < FRAME_MAX) return PAF_R_EINVAL;
  uint8_t *buffer;
  uint32_t length;
  enum virtq_take taken = virtq_take_used(&nic.receive, (void **)&buffer, &length);
  if (taken == VIRTQ_NONE) return PAF_R_AGAIN;
  if (taken == VIRTQ_BOGUS) return PAF_R_EUNSPEC;
  int valid = length >= nic.header_size && length <= nic.header_size + FRAME_MAX;
  if (valid) {
    *read_size = length - nic.header_size;
    memcpy(buf, buffer + nic.header_size, *read_size);
  }
  recycle_receive_buffer(buffer);
  return valid ? PAF_R_OK : PAF_R_EUNSPEC;
}

/* ---- Sending ---- */

/* Takes back the buffers the device has sent (bogus entries skipped: the
 * ring returns each buffer it lent once, so the stack cannot overflow). */
static void reclaim_transmit_buffers(void) {
  void *buffer;
  enum virtq_take taken;
  while ((taken = virtq_take_used(&nic.transmit, &buffer, NULL)) != VIRTQ_NONE)
    if (taken == VIRTQ_TAKEN) nic.free_transmit_buffers[nic.free_transmit_count++] = buffer;
}

paf_result_t paf_net_write(paf_handle_t handle, const uint8_t *buf, size_t size) {
  if (!nic.acquired || handle != NET_HANDLE || size > FRAME_MAX) return PAF_R_EINVAL;
  reclaim_transmit_buffers();
  if (nic.free_transmit_count == 0) return PAF_R_AGAIN;
  uint8_t *buffer = nic.free_transmit_buffers[--nic.free_transmit_count];
  memset(buffer, 0, nic.header_size);
  memcpy(buffer + nic.header_size, buf, size);
  virtq_offer(&nic.transmit, buffer, (uint32_t)(nic.header_size + size), 0);
  if (virtq_needs_notify(&nic.transmit)) virtio_pci_notify(&nic.device, TRANSMIT_QUEUE);
  return PAF_R_OK;
}

/* ---- Waiting (yield.c) ---- */

int virtio_net_acquired(void) { return nic.acquired; }

int virtio_net_polled(void) { return nic.acquired && nic.irq == PCI_NO_IRQ; }

uint64_t virtio_net_interrupts(void) { return nic.acquired ? irq_count(nic.irq) : 0; }

uint64_t virtio_net_ready_set(void) {
  return nic.acquired && virtq_has_used(&nic.receive) ? (paf_handle_set_t)1 << NET_HANDLE : 0;
}
