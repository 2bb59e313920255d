// What a paf::Stack is: one lwIP netif over a NetDevice, with its addresses.
#ifndef PAF_SRC_NET_STACK_INTERFACE_H
#define PAF_SRC_NET_STACK_INTERFACE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "loop_wakeup.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "paf/net.h"

namespace paf {

class StackInterface {
 public:
  static Result<std::unique_ptr<StackInterface>> create(Loop& loop, NetDevice& device,
                                                        const StackConfig& config);
  StackInterface(const StackInterface&) = delete;
  StackInterface& operator=(const StackInterface&) = delete;
  ~StackInterface();

  bool ready() const;
  void when_ready(Function<void()> callback) { ready_wakeup_.arm(std::move(callback), ready()); }
  AddressText ipv4_address() const;
  AddressText ipv6_link_local_address() const;
  AddressText ipv6_address() const;
  void when_ipv6_ready(Function<void()> callback) {
    ipv6_wakeup_.arm(std::move(callback), !ipv6_address().empty());
  }
  static bool all_sent();
  void when_all_sent(Function<void()> callback);
  Result<std::unique_ptr<Listener>> listen(std::uint16_t port, std::size_t backlog);
  Result<std::unique_ptr<Flow>> connect(std::string_view ip, std::uint16_t port);

 private:
  StackInterface(Loop& loop, NetDevice& device);
  Result<void> start(const StackConfig& config);
  void receive(Bytes frame);
  void watch_all_sent();

  static err_t init_netif(netif* interface);
  static err_t send_frame(netif* interface, pbuf* frame);
  static void on_status_changed(netif* interface);

  Loop& loop_;
  NetDevice& device_;
  netif netif_{};
  bool added_ = false;
  bool dhcp_ = false;
  std::vector<std::uint8_t> flat_frame_;  // for the rare pbuf chain too long to gather
  net::LoopWakeup ready_wakeup_;
  net::LoopWakeup ipv6_wakeup_;
  net::LoopWakeup all_sent_wakeup_;
  std::optional<TimerId> all_sent_timer_;  // polls all_sent() while a callback waits
};

}  // namespace paf

#endif
