// A TAP interface as a NetDevice on the host's epoll loop: for hosted
// programs that run paf's lwIP Stack next to host sockets (paf-server
// --net tap:IFACE). Programs on the platform contract alone get TAP
// interfaces as the platform's devices instead (paf/posix/net_tap.h).
#ifndef PAF_POSIX_TAP_NET_DEVICE_H
#define PAF_POSIX_TAP_NET_DEVICE_H

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "paf/net.h"
#include "paf/posix/epoll_loop_backend.h"

namespace paf::posix {

class TapNetDevice final : public NetDevice {
 public:
  // Opens the TAP interface `interface_name` (paf_posix_tap_open: it must
  // exist, or the process may create it) and watches its input on `backend`,
  // which must outlive the device. Its MAC is random and locally administered.
  static Result<std::unique_ptr<TapNetDevice>> open(EpollLoopBackend& backend,
                                                    std::string_view interface_name);
  TapNetDevice(const TapNetDevice&) = delete;
  TapNetDevice& operator=(const TapNetDevice&) = delete;
  ~TapNetDevice() override;

  MacAddress mac() const override { return mac_; }
  std::size_t mtu() const override { return mtu_; }
  // One writev(2): the pieces go to the kernel without a copy.
  Result<void> send(std::span<const Bytes> frame) override;
  void on_receive(Function<void(Bytes frame)> on_frame) override {
    receiver_ = std::move(on_frame);
  }

 private:
  TapNetDevice(EpollLoopBackend& backend, int fd, MacAddress mac, std::size_t mtu);
  void receive_waiting_frames();

  EpollLoopBackend& backend_;
  int fd_;
  MacAddress mac_;
  std::size_t mtu_;
  std::vector<std::uint8_t> receive_buffer_;
  Function<void(Bytes)> receiver_;
};

}  // namespace paf::posix

#endif
