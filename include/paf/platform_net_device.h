// The platform's network device (paf_net_* of paf/platform.h) as a NetDevice:
// the unikernel's NIC under a Stack. Input readiness comes from the
// PlatformLoopBackend, which watches the device's handle.
#ifndef PAF_PLATFORM_NET_DEVICE_H
#define PAF_PLATFORM_NET_DEVICE_H

#include <cstdint>
#include <memory>
#include <vector>

#include "paf/net.h"
#include "paf/platform.h"
#include "paf/platform_loop_backend.h"

namespace paf {

class PlatformNetDevice final : public NetDevice {
 public:
  // Acquires the device `name` (as the platform's configuration names it)
  // and watches its input on `backend`, which must outlive the device.
  static Result<std::unique_ptr<PlatformNetDevice>> acquire(PlatformLoopBackend& backend,
                                                            const char* name);
  PlatformNetDevice(const PlatformNetDevice&) = delete;
  PlatformNetDevice& operator=(const PlatformNetDevice&) = delete;
  ~PlatformNetDevice() override;

  MacAddress mac() const override;
  std::size_t mtu() const override { return info_.mtu; }
  Result<void> send(std::span<const Bytes> frame) override;
  void on_receive(Function<void(Bytes frame)> on_frame) override { receiver_ = std::move(on_frame); }

 private:
  PlatformNetDevice(PlatformLoopBackend& backend, paf_handle_t handle, const paf_net_info& info);
  void receive_waiting_frames();

  PlatformLoopBackend& backend_;
  paf_handle_t handle_;
  paf_net_info info_;
  std::vector<std::uint8_t> receive_buffer_;
  std::vector<std::uint8_t> send_buffer_;  // paf_net_write takes one contiguous frame
  Function<void(Bytes)> receiver_;
};

}  // namespace paf

#endif
