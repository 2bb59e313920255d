// QEMU's fw_cfg device as a hostile host fills it: the file directory and
// the items paf_config_read (platform/virtio/fw_cfg_files.c) reads, here
// from the input instead of the I/O ports, then read_config_item
// (paf/config_item.h) as the images use it for their certificates.
//
// Input: a flags byte (bit 0: no "QEMU" signature; bits 1-2: the name looked
// up, 3 meaning the first 55 bytes of the contents), a byte for the size of
// a direct read's buffer (16 bytes per unit), the directory's length (two
// bytes, big-endian), the directory (item 0x19: a big-endian count, then
// 64-byte entries), then the contents every other item reads from its start.
// Past their end, items read as zeros, as QEMU's do.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "paf/config_item.h"
extern "C" {
#include "fw_cfg_files.h"
}

namespace {

struct Device {
  std::string_view directory, contents;
  std::string_view item;  // the selected item's bytes not read yet
  bool signature = true;
  std::size_t reads = 0;  // bytes read through the data port
};

Device device;

void select_item(void*, std::uint16_t selector) {
  if (selector == 0x0000)
    device.item = device.signature ? "QEMU" : "";
  else if (selector == 0x0019)
    device.item = device.directory;
  else
    device.item = device.contents;
}

void read_data(void*, void* buf, std::uint32_t size) {
  const std::size_t n = std::min<std::size_t>(size, device.item.size());
  if (n > 0) std::memcpy(buf, device.item.data(), n);
  if (size > n) std::memset(static_cast<char*>(buf) + n, 0, size - n);
  device.item.remove_prefix(n);
  device.reads += size;
}

const fw_cfg_device fuzzed = {select_item, read_data, nullptr};

}  // namespace

// The platform's paf_config_read, on the fuzzed device.
extern "C" paf_result_t paf_config_read(const char* name, void* buf, std::size_t size,
                                        std::size_t* out_len) {
  return fw_cfg_read_file(&fuzzed, name, buf, size, out_len);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::uint8_t flags = data[0];
  const std::size_t direct_size = data[1] * std::size_t{16};
  const std::size_t directory_length = std::min<std::size_t>(data[2] << 8 | data[3], size - 4);
  device = Device{input.substr(4, directory_length),
                  input.substr(4 + directory_length),
                  {},
                  (flags & 1) == 0,
                  0};

  static const char* const kNames[] = {"opt/paf/cert.pem", "opt/paf/key.pem",
                                       "opt/paf/ca-bundle.pem"};
  std::string name = ((flags >> 1) & 3) < 3
                         ? kNames[(flags >> 1) & 3]
                         : std::string(device.contents.substr(0, PAF_CONFIG_NAME_MAX));
  name.resize(std::strlen(name.c_str()));  // up to a NUL the contents carry

  // A direct read into a buffer of exactly `direct_size` bytes: ASan sees a
  // byte written past it; a success never says more than fits.
  std::vector<std::uint8_t> buffer(direct_size);
  std::size_t length = 0;
  if (paf_config_read(name.c_str(), buffer.data(), buffer.size(), &length) == PAF_R_OK &&
      length > buffer.size())
    std::abort();

  auto item = paf::read_config_item(name.c_str());
  if (item && *item && (*item)->size() > paf::kConfigItemMaxBytes) std::abort();
  // Bounded: however many entries the directory claims.
  if (device.reads > (std::size_t{1} << 24) + paf::kConfigItemMaxBytes) std::abort();
  return 0;
}
