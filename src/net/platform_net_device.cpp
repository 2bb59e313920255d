#include "paf/platform_net_device.h"

#include <algorithm>
#include <utility>

namespace paf {
namespace {

// Frames read per wakeup, so one busy device cannot starve the loop; the rest
// wake the next wait().
constexpr int kMaxFramesPerWakeup = 256;

}  // namespace

Result<std::unique_ptr<PlatformNetDevice>> PlatformNetDevice::acquire(PlatformLoopBackend& backend,
                                                                      const char* name) {
  paf_handle_t handle = 0;
  paf_net_info info{};
  paf_result_t acquired = paf_net_acquire(name, &handle, &info);
  if (acquired != PAF_R_OK)
    return fail(acquired == PAF_R_EINVAL ? Errc::invalid_argument : Errc::io_error,
                "net: the platform has no such network device", acquired);
  std::unique_ptr<PlatformNetDevice> device(new PlatformNetDevice(backend, handle, info));
  auto watched = backend.watch(handle, [raw = device.get()] { raw->receive_waiting_frames(); });
  if (!watched) return std::unexpected(watched.error());
  return device;
}

PlatformNetDevice::PlatformNetDevice(PlatformLoopBackend& backend, paf_handle_t handle,
                                     const paf_net_info& info)
    : backend_(backend), handle_(handle), info_(info), receive_buffer_(info.mtu + PAF_NET_HLEN) {}

PlatformNetDevice::~PlatformNetDevice() { backend_.unwatch(handle_); }

MacAddress PlatformNetDevice::mac() const {
  MacAddress mac;
  std::copy(std::begin(info_.mac_address), std::end(info_.mac_address), mac.begin());
  return mac;
}

Result<void> PlatformNetDevice::send(std::span<const Bytes> frame) {
  send_buffer_.clear();
  for (Bytes piece : frame) send_buffer_.insert(send_buffer_.end(), piece.begin(), piece.end());
  paf_result_t written = paf_net_write(handle_, send_buffer_.data(), send_buffer_.size());
  if (written == PAF_R_OK) return {};
  if (written == PAF_R_AGAIN) return fail(Errc::would_block, "net: device queue full; frame dropped");
  return fail(Errc::io_error, "net: the platform refused the frame", written);
}

// Frames nobody receives are read all the same: the device must not fill up.
void PlatformNetDevice::receive_waiting_frames() {
  for (int i = 0; i < kMaxFramesPerWakeup; ++i) {
    std::size_t size = 0;
    if (paf_net_read(handle_, receive_buffer_.data(), receive_buffer_.size(), &size) != PAF_R_OK) return;
    if (receiver_) receiver_(Bytes(receive_buffer_.data(), size));
  }
}

}  // namespace paf
