// lwIP's input path through paf's netif: raw Ethernet frames into a Stack
// (ARP, IPv4, IPv6 with neighbour discovery and SLAAC, ICMP, TCP to a port
// where serve(http_service) listens, UDP: DHCP and DNS replies) — the code a
// hostile LAN reaches first. Each feed step is one frame, fixed up first
// (ethernet.h) unless the input turns that off; time is the input's; the
// stack's entropy is a fixed sequence (entropy.h).
//
// The input's first byte chooses the configuration: bit 0 DHCP (else the
// static 10.0.0.2/24), bit 1 IPv6 off. Actions: 0 turns the fix-ups off or
// on; 1 looks a name up (DNS); 2 connects out to 10.0.0.1:80; 3 stops serving.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine.h"
#include "entropy.h"
#include "ethernet.h"
#include "paf/net.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "steps.h"

namespace {

// The stack's NIC: frames in from the input, frames out only learnt from.
class FuzzDevice final : public paf::NetDevice {
 public:
  paf::MacAddress mac() const override { return {0x02, 0, 0, 0, 0, 0x02}; }
  std::size_t mtu() const override { return 1500; }
  paf::Result<void> send(std::span<const paf::Bytes> frame) override {
    sent_.clear();
    for (paf::Bytes piece : frame) sent_.insert(sent_.end(), piece.begin(), piece.end());
    paf::fuzz::learn(learnt_, sent_.data(), sent_.size());
    return {};
  }
  void on_receive(paf::Function<void(paf::Bytes)> on_frame) override {
    receiver_ = std::move(on_frame);
  }

  void receive(paf::Bytes bytes, bool fix_up) {
    frame_.assign(bytes.begin(), bytes.end());
    if (fix_up) paf::fuzz::fix_up(learnt_, frame_.data(), frame_.size());
    if (receiver_) receiver_(paf::Bytes(frame_));
  }

 private:
  paf::fuzz::Learnt learnt_;
  std::vector<std::uint8_t> sent_, frame_;
  paf::Function<void(paf::Bytes)> receiver_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  if (size == 0) return 0;
  fuzz::restart_entropy();
  const std::uint8_t mode = data[0];

  SimulatedTimeBackend backend;
  Loop loop(backend);
  FuzzDevice device;
  StackConfig config;
  if ((mode & 1) == 0) {
    config.ipv4 = Ipv4Address{{10, 0, 0, 2}};
    config.gateway = Ipv4Address{{10, 0, 0, 1}};
    config.dns_servers = {Ipv4Address{{10, 0, 0, 1}}};
  }
  config.ipv6 = (mode & 2) == 0;
  std::optional<Stack> stack;
  if (auto made = Stack::create(loop, device, config))
    stack.emplace(std::move(*made));
  else
    return 0;
  std::string log;
  Switch stop;
  std::unique_ptr<Listener> listener;
  if (auto listening = stack->listen(80)) {
    listener = std::move(*listening);
    serve(loop, http_service(fuzz::server_handler(&log), nullptr), *listener, stop);
  }
  std::vector<std::unique_ptr<Flow>> outgoing;

  auto settle = [&] { (void)loop.run_until(loop.now_ns() + 1); };
  bool fix_ups = true;
  fuzz::Steps steps(data + 1, size - 1);
  settle();
  for (fuzz::Step step = steps.next(); step.kind != fuzz::Step::Kind::done; step = steps.next()) {
    switch (step.kind) {
      case fuzz::Step::Kind::feed:
        device.receive(step.bytes, fix_ups);
        break;
      case fuzz::Step::Kind::advance:
        (void)loop.run_until(loop.now_ns() + step.ns);
        break;
      case fuzz::Step::Kind::action:
        if (step.action == 0) fix_ups = !fix_ups;
        if (step.action == 1) stack->resolve("example.test", [](Result<AddressText>) {});
        if (step.action == 2)
          if (auto flow = stack->connect("10.0.0.1", 80)) outgoing.push_back(std::move(*flow));
        if (step.action == 3) stop.turn_off();
        break;
      default:
        break;  // the flow-level steps mean nothing to a NIC
    }
    settle();
  }
  // Everything ends: serving stops (its grace period passes), then the
  // interface goes (its connections are aborted).
  stop.turn_off();
  (void)loop.run_until(loop.now_ns() + seconds(6));
  outgoing.clear();
  listener.reset();
  stack.reset();
  return 0;
}
