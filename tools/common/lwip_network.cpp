#include "lwip_network.h"

#include <cstdio>
#include <cstring>

namespace paf::tools {

bool parse_net(std::string_view value, NetOptions& options) {
  if (!value.starts_with("tap:") || value.size() == 4) return false;
  options.tap_interface = std::string(value.substr(4));
  return true;
}

std::optional<LwipNetwork> start_lwip(Loop& loop, posix::EpollLoopBackend& backend,
                                      const NetOptions& options, const char* tool) {
  const std::string& name = *options.tap_interface;
  LwipNetwork network;
  network.interface_name = name;
  auto device = posix::TapNetDevice::open(backend, name);
  if (!device) {
    std::fprintf(stderr, "%s: TAP interface %s: %.*s (%s)\n", tool, name.c_str(),
                 int(device.error().message.size()), device.error().message.data(),
                 std::strerror(device.error().detail));
    return std::nullopt;
  }
  network.device = std::move(*device);
  auto stack = Stack::from_cmdline(loop, *network.device, options.config);
  if (!stack) {
    std::fprintf(stderr, "%s: --net-config: %.*s\n", tool, int(stack.error().message.size()),
                 stack.error().message.data());
    return std::nullopt;
  }
  network.stack.emplace(std::move(*stack));
  bool ready = false;
  network.stack->when_ready([&] {
    ready = true;
    loop.stop();
  });
  TimerId timeout = loop.add_timer_after(kAddressTimeoutNs, [&loop] { loop.stop(); });
  auto ran = loop.run();
  loop.cancel_timer(timeout);
  if (!ready || !ran) {
    std::fprintf(stderr, "%s: no IPv4 address on %s in time\n", tool, name.c_str());
    return std::nullopt;
  }
  return network;
}

bool finish_sending(Loop& loop, LwipNetwork& network, std::uint64_t timeout_ns, const char* tool) {
  bool all_sent = false;
  network.stack->when_all_sent([&] {
    all_sent = true;
    loop.stop();
  });
  TimerId timeout = loop.add_timer_after(timeout_ns, [&loop] { loop.stop(); });
  (void)loop.run();
  loop.cancel_timer(timeout);
  if (all_sent) return true;
  network.stack->when_all_sent({});
  std::fprintf(stderr, "%s: some bytes were not delivered\n", tool);
  return false;
}

mimic::Ctx stack_context(LwipNetwork& network, const TlsConfig& tls) {
  return mimic::with_stack_protocols({}, *network.stack).with(mimic::keys::tls, tls);
}

}  // namespace paf::tools
