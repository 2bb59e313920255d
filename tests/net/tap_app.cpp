// net_tap_app: a unikernel-style application (paf_app_main on the platform
// contract alone: PlatformLoopBackend, PlatformNetDevice) run on
// platform/posix over a TAP interface, for check-tap.sh. It brings a Stack up
// on the device "service0", reports its IPv4 address (DHCP unless ip=), its
// SLAAC IPv6 address and a name it resolves, then serves the demo
// application on port 80 until it has served `requests=N`, lets lwIP deliver
// what it wrote (Stack::when_all_sent) and exits 0. Every wait has a deadline; a
// missed one exits 1 and says which.
//
//   net_tap_app --net:service0=tap0 [StackConfig words] [resolve=NAME] [requests=N]
//
// Its log lines, which the script reads:
//   tap: ipv4 ADDRESS by dhcp|static in N ms
//   tap: ipv6 ADDRESS by slaac in N ms
//   tap: resolved NAME to ADDRESS
//   tap: listening on port 80
//   tap: served N requests, all sent
#include <charconv>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>
#include <utility>

#include "demo_handler.h"
#include "paf/cmdline.h"
#include "paf/loop.h"
#include "paf/net.h"
#include "paf/platform.h"
#include "paf/platform_loop_backend.h"
#include "paf/platform_net_device.h"
#include "paf/service.h"
#include "paf/switch.h"

namespace {

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint64_t kAddressTimeoutNs = paf::seconds(20);
constexpr std::uint64_t kResolveTimeoutNs = paf::seconds(10);
constexpr std::uint64_t kServeTimeoutNs = paf::seconds(60);
constexpr std::uint64_t kDrainTimeoutNs = paf::seconds(5);

int fail(const char* what) {
  std::printf("tap: FAILED: %s\n", what);
  return 1;
}

int fail(const char* what, const paf::Error& error) {
  std::printf("tap: FAILED: %s: %.*s\n", what, int(error.message.size()), error.message.data());
  return 1;
}

std::uint64_t milliseconds_since(std::uint64_t start) {
  return (paf_clock_monotonic() - start) / 1'000'000;
}

// Runs the loop until `arm` has had its callback called, or `timeout_ns`.
template <typename Arm>
bool run_until_called(paf::Loop& loop, std::uint64_t timeout_ns, Arm arm) {
  bool called = false;
  arm([&] {
    called = true;
    loop.stop();
  });
  paf::TimerId timer = loop.add_timer_after(timeout_ns, [&loop] { loop.stop(); });
  auto ran = loop.run();
  if (!called) return false;
  loop.cancel_timer(timer);
  return ran.has_value();
}

}  // namespace

extern "C" int paf_app_main(const paf_start_info* info) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // the script reads lines as they come
  paf::PlatformLoopBackend backend;
  paf::Loop loop(backend);
  auto device = paf::PlatformNetDevice::acquire(backend, "service0");
  if (!device) return fail("no network device", device.error());
  auto config = paf::StackConfig::parse(info->cmdline);
  if (!config) return fail("bad network configuration", config.error());
  bool dhcp = !config->ipv4;
  bool ipv6 = config->ipv6;
  std::uint64_t start = paf_clock_monotonic();
  auto stack = paf::Stack::create(loop, **device, std::move(*config));
  if (!stack) return fail("network", stack.error());

  if (!run_until_called(loop, kAddressTimeoutNs,
                        [&](auto done) { stack->when_ready(std::move(done)); }))
    return fail("no IPv4 address in time");
  std::printf("tap: ipv4 %s by %s in %" PRIu64 " ms\n", stack->ipv4_address().c_str(),
              dhcp ? "dhcp" : "static", milliseconds_since(start));
  if (ipv6) {
    if (!run_until_called(loop, kAddressTimeoutNs,
                          [&](auto done) { stack->when_ipv6_ready(std::move(done)); }))
      return fail("no SLAAC IPv6 address in time");
    std::printf("tap: ipv6 %s by slaac in %" PRIu64 " ms\n", stack->ipv6_address().c_str(),
                milliseconds_since(start));
  }
  if (auto name = paf::cmdline_value(info->cmdline, "resolve")) {
    std::optional<paf::Result<paf::AddressText>> answer;
    if (!run_until_called(loop, kResolveTimeoutNs, [&](auto done) {
          stack->resolve(*name, [&answer, done = std::move(done)](
                                    paf::Result<paf::AddressText> result) mutable {
            answer = result;
            done();
          });
        }))
      return fail("no DNS answer in time");
    if (!*answer) return fail("resolve", answer->error());
    std::printf("tap: resolved %.*s to %s\n", int(name->size()), name->data(), (*answer)->c_str());
  }

  auto listener = stack->listen(kHttpPort);
  if (!listener) return fail("cannot listen", listener.error());
  std::uint64_t request_limit = 1;
  if (auto digits = paf::cmdline_value(info->cmdline, "requests"))
    std::from_chars(digits->data(), digits->data() + digits->size(), request_limit);
  std::uint64_t requests = 0;
  paf::Switch stop;
  auto handler = [&](paf::Reqd& reqd) {
    paf::demo::handle(reqd, paf::demo::Options{.access_log = false});
    if (++requests == request_limit) loop.post([&stop] { stop.turn_off(); });
  };
  bool stopped = false;
  paf::ServeOptions options;
  options.on_stopped = [&] {
    stopped = true;
    loop.stop();
  };
  paf::serve(loop, paf::http_service(std::move(handler), paf::default_error_reply), **listener,
             stop, std::move(options));
  std::printf("tap: listening on port %u\n", kHttpPort);
  paf::TimerId serve_timer = loop.add_timer_after(kServeTimeoutNs, [&loop] { loop.stop(); });
  if (auto ran = loop.run(); !ran) return fail("loop", ran.error());
  if (!stopped) return fail("not every request came in time");
  loop.cancel_timer(serve_timer);

  if (!run_until_called(loop, kDrainTimeoutNs,
                        [&](auto done) { stack->when_all_sent(std::move(done)); }))
    return fail("lwIP did not deliver every byte in time");
  std::printf("tap: served %" PRIu64 " requests, all sent\n", requests);
  return 0;
}
