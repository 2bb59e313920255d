// The virtio-net driver of the images (platform/virtio/virtio_net.c and its
// rings, virtio_ring.c) against a device the input plays, as a malicious or
// buggy host would: it returns buffers in the used rings with any id and
// length, moves the used index anywhere, offers any queue size. The driver
// must neither touch memory outside its buffers, nor lose count of them,
// nor answer AGAIN on a handle it said was ready (paf/platform.h).
//
// Input: a flags byte (bit 0: a modern device, VERSION_1: 12-byte headers;
// bit 1: the device has a MAC), the receive and transmit queue sizes the
// device offers (a modern device's are rounded down to a power of two, a
// legacy device imposes its own), then operations, a byte each (low 3
// bits) with its operands:
//   0 id:2 len:2   the device returns receive descriptor `id` (any value)
//   1 len:2        the device returns the oldest receive buffer it was
//                  given, having written `len` bytes (a well-behaved device)
//   2 index:2      the device sets the receive ring's used index
//   3              the driver reads a frame (paf_net_read)
//   4 size:2       the driver sends a frame of `size` % 1600 bytes
//   5 id:2 len:2   the device returns transmit descriptor `id`
//   6              the device returns the oldest transmit buffer it was given
//   7 index:2      the device sets the transmit ring's used index
// Operands past the input's end read as zeros.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "paf/platform.h"
extern "C" {
#include "kernel.h"  // virtio_net_ready_set
#include "pci.h"
#include "virtio_pci.h"
}
#include "virtio_net_host.h"

namespace {

constexpr std::size_t kFrameMax = 1500 + PAF_NET_HLEN;

struct Input {
  const std::uint8_t* data;
  std::size_t size, at = 0;
  std::uint8_t byte() { return at < size ? data[at++] : 0; }
  std::uint16_t u16() {
    const std::uint16_t high = byte();
    return static_cast<std::uint16_t>(high << 8 | byte());
  }
};

// What the device knows: what it was configured with, and how far it has
// consumed each available ring.
struct Device {
  std::uint8_t flags = 0;
  std::uint8_t queue_sizes[2] = {};
  std::uint16_t consumed[2] = {};  // available entries taken, per queue
};

Device device;

std::uint16_t power_of_two_at_most(std::uint16_t n) {
  std::uint16_t p = 1;
  while (p <= n / 2) p = static_cast<std::uint16_t>(p * 2);
  return p;
}

// The device puts (id, length) in `queue`'s used ring and publishes it.
void use(virtq& queue, std::uint32_t id, std::uint32_t length) {
  const std::uint16_t index = queue.used->index;
  queue.used->ring[index & (queue.size - 1)].id = id;
  queue.used->ring[index & (queue.size - 1)].length = length;
  queue.used->index = static_cast<std::uint16_t>(index + 1);
}

// The next buffer the driver made available, as a device takes it: false
// when there is none.
bool take_available(virtq& queue, int which, std::uint16_t* id) {
  if (device.consumed[which] == queue.avail->index) return false;
  *id = queue.avail->ring[device.consumed[which]++ & (queue.size - 1)];
  return true;
}

void check_counts() {
  const virtio_net_host_view view = virtio_net_host_rings();
  if (view.receive->free_count > view.receive->size) std::abort();
  if (view.transmit->free_count > view.transmit->size) std::abort();
  if (view.free_transmit_count > view.transmit->size) std::abort();
}

void operate(Input& input) {
  const virtio_net_host_view view = virtio_net_host_rings();
  virtq& receive = *view.receive;
  virtq& transmit = *view.transmit;
  std::uint16_t id = 0;
  switch (input.byte() & 7) {
    case 0: {
      const std::uint16_t any_id = input.u16();
      use(receive, any_id, input.u16());
      break;
    }
    case 1: {
      const std::uint16_t length = input.u16();
      if (!take_available(receive, 0, &id)) break;
      const virtq_desc& desc = receive.desc[id & (receive.size - 1)];
      if (desc.address != 0)  // what it writes, within the buffer it was given
        std::memset(reinterpret_cast<void*>(static_cast<std::uintptr_t>(desc.address)), 0xAB,
                    length < desc.length ? length : desc.length);
      use(receive, id, length);
      break;
    }
    case 2:
      receive.used->index = input.u16();
      break;
    case 3: {
      const bool ready = (virtio_net_ready_set() & 1) != 0;
      std::vector<std::uint8_t> frame(kFrameMax);
      std::size_t read_size = 0;
      const paf_result_t result = paf_net_read(0, frame.data(), frame.size(), &read_size);
      if (result == PAF_R_OK && read_size > kFrameMax) std::abort();
      if (ready && result == PAF_R_AGAIN) std::abort();
      break;
    }
    case 4: {
      // Exactly `size` bytes (ASan sees a read past them), never a null pointer.
      const std::size_t size = input.u16() % 1600;
      std::vector<std::uint8_t> frame(size == 0 ? 1 : size, 0x5A);
      (void)paf_net_write(0, frame.data(), size);
      break;
    }
    case 5: {
      const std::uint16_t any_id = input.u16();
      use(transmit, any_id, input.u16());
      break;
    }
    case 6:
      if (take_available(transmit, 1, &id)) use(transmit, id, 0);
      break;
    default:
      transmit.used->index = input.u16();
      break;
  }
  check_counts();
}

}  // namespace

// --- the PCI transport and interrupts, as the device answers ------------------

extern "C" {

int pci_find(int (*match)(const struct pci_device*), struct pci_device* found) {
  *found = pci_device{0, 3, 0, VIRTIO_PCI_VENDOR,
                      static_cast<std::uint16_t>(device.flags & 1 ? 0x1041 : 0x1000)};
  return match(found);
}
int pci_enable(const struct pci_device*) { return 1; }
unsigned pci_legacy_irq(const struct pci_device*) { return PCI_NO_IRQ; }

int virtio_pci_open(const struct pci_device*, struct virtio_pci* opened) {
  *opened = virtio_pci{};
  opened->modern = device.flags & 1;
  opened->io_base = opened->modern ? 0 : 0xc000;
  return 1;
}
int virtio_pci_start(struct virtio_pci*) { return 1; }
int virtio_pci_negotiate(struct virtio_pci* opened, std::uint64_t wanted, std::uint64_t* accepted) {
  std::uint64_t offered = VIRTIO_F_ANY_LAYOUT | (device.flags & 2 ? 1ull << 5 : 0);
  if (opened->modern) offered |= VIRTIO_F_VERSION_1;
  *accepted = offered & wanted;
  return 1;
}
int virtio_pci_setup_queue(struct virtio_pci* opened, std::uint16_t index, std::uint16_t max_size,
                           struct virtq* queue) {
  if (index > 1) return 0;
  std::uint16_t size = device.queue_sizes[index];
  if (size == 0) return 0;
  if (opened->modern) size = power_of_two_at_most(size < max_size ? size : max_size);
  return virtq_init(queue, size);
}
void virtio_pci_ready(struct virtio_pci*) {}
void virtio_pci_fail(struct virtio_pci*) {}
void virtio_pci_notify(const struct virtio_pci*, std::uint16_t) {}
std::uint8_t virtio_pci_interrupt_status(const struct virtio_pci*) { return 1; }
std::uint8_t virtio_pci_config8(const struct virtio_pci*, unsigned offset) {
  return static_cast<std::uint8_t>(0x52 + offset);
}
void irq_attach_pci(unsigned, void (*)(void)) {}
std::uint64_t irq_count(unsigned) { return 0; }

}  // extern "C"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input input{data, size};
  device = Device{};
  device.flags = input.byte();
  device.queue_sizes[0] = input.byte();
  device.queue_sizes[1] = input.byte();
  paf_handle_t handle = 0;
  paf_net_info info{};
  if (paf_net_acquire("net0", &handle, &info) == PAF_R_OK) {
    check_counts();
    for (int operations = 0; input.at < input.size && operations < 4096; ++operations)
      operate(input);
  }
  virtio_net_host_reset();
  return 0;
}
