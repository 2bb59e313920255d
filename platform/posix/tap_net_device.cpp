#include "paf/posix/tap_net_device.h"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>

#include "paf/posix/net_tap.h"

namespace paf::posix {
namespace {

// Frames read per wakeup, so a busy interface cannot starve the loop; the
// descriptor is watched level-triggered, so the rest wake the next wait().
constexpr int kMaxFramesPerWakeup = 256;
// Pieces of a frame given to one writev (lwIP's chains are much shorter).
constexpr std::size_t kMaxPieces = 64;

}  // namespace

Result<std::unique_ptr<TapNetDevice>> TapNetDevice::open(EpollLoopBackend& backend,
                                                         std::string_view interface_name) {
  std::string name(interface_name);
  paf_net_info info{};
  int fd = paf_posix_tap_open(name.c_str(), &info);
  if (fd < 0) return fail(Errc::io_error, "tap: cannot open the TAP interface", errno);
  MacAddress mac;
  std::copy(std::begin(info.mac_address), std::end(info.mac_address), mac.begin());
  std::unique_ptr<TapNetDevice> device(new TapNetDevice(backend, fd, mac, info.mtu));
  auto watched =
      backend.watch(fd, [raw = device.get()](IoEvents) { raw->receive_waiting_frames(); });
  if (!watched) {
    ::close(fd);
    device->fd_ = -1;
    return std::unexpected(watched.error());
  }
  if (auto interest = backend.set_interest(fd, true, false); !interest)
    return std::unexpected(interest.error());
  return device;
}

TapNetDevice::TapNetDevice(EpollLoopBackend& backend, int fd, MacAddress mac, std::size_t mtu)
    : backend_(backend), fd_(fd), mac_(mac), mtu_(mtu), receive_buffer_(mtu + PAF_NET_HLEN) {}

TapNetDevice::~TapNetDevice() {
  if (fd_ < 0) return;
  backend_.unwatch(fd_);
  ::close(fd_);
}

Result<void> TapNetDevice::send(std::span<const Bytes> frame) {
  if (frame.size() > kMaxPieces)
    return fail(Errc::invalid_argument, "tap: frame in too many pieces");
  std::array<iovec, kMaxPieces> pieces;
  std::size_t size = 0;
  for (std::size_t i = 0; i < frame.size(); ++i) {
    pieces[i] = {const_cast<std::uint8_t*>(frame[i].data()), frame[i].size()};
    size += frame[i].size();
  }
  if (size > mtu_ + PAF_NET_HLEN)
    return fail(Errc::invalid_argument, "tap: frame longer than the MTU");
  for (;;) {
    ssize_t written = ::writev(fd_, pieces.data(), static_cast<int>(frame.size()));
    if (written == static_cast<ssize_t>(size)) return {};
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return fail(Errc::would_block, "tap: interface queue full; frame dropped");
    return fail(Errc::io_error, "tap: the interface refused the frame", written < 0 ? errno : 0);
  }
}

// Frames nobody receives are read all the same: the interface must not fill up.
void TapNetDevice::receive_waiting_frames() {
  for (int i = 0; i < kMaxFramesPerWakeup; ++i) {
    ssize_t size = ::read(fd_, receive_buffer_.data(), receive_buffer_.size());
    if (size < 0 && errno == EINTR) continue;
    if (size <= 0) return;  // EAGAIN: drained (an error: the next wakeup retries)
    if (receiver_) receiver_(Bytes(receive_buffer_.data(), static_cast<std::size_t>(size)));
  }
}

}  // namespace paf::posix
