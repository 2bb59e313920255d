#include "image_app.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <utility>

#include <malloc.h>

#include "paf/platform.h"

namespace paf::image {

namespace {

int say(const char* app, const char* what, const Error& error) {
  return std::printf("%s: %s: %.*s\n", app, what, int(error.message.size()), error.message.data());
}

}  // namespace

std::optional<Network> bring_up_network(PlatformLoopBackend& backend, Loop& loop,
                                        std::string_view cmdline, const char* app,
                                        std::uint64_t timeout_ns) {
  auto device = PlatformNetDevice::acquire(backend, "service0");
  if (!device) return say(app, "no network device", device.error()), std::nullopt;
  auto config = StackConfig::parse(cmdline);
  if (!config) return say(app, "bad network configuration", config.error()), std::nullopt;
  Network network;
  network.dhcp = !config->ipv4;
  network.device = std::move(*device);
  auto stack = Stack::create(loop, *network.device, std::move(*config));
  if (!stack) return say(app, "network", stack.error()), std::nullopt;
  network.stack.emplace(std::move(*stack));
  bool ready = false;
  network.stack->when_ready([&] {
    ready = true;
    loop.stop();
  });
  TimerId timer = loop.add_timer_after(timeout_ns, [&loop] { loop.stop(); });
  auto ran = loop.run();
  loop.cancel_timer(timer);
  if (!ran) return say(app, "loop", ran.error()), std::nullopt;
  if (!ready) {
    std::printf("%s: no address within %" PRIu64 " s\n", app, timeout_ns / seconds(1));
    return std::nullopt;
  }
  return network;
}

ServeOptions serve_options(Loop& loop, int& serving, const char* app) {
  ++serving;
  ServeOptions options;
  options.on_stopped = [&loop, &serving] {
    if (--serving == 0) loop.stop();
  };
  options.on_refused = [app](std::string_view peer, const Error& error) {
    std::printf("%s: %.*s: %.*s\n", app, int(peer.size()), peer.data(),
                int(error.message.size()), error.message.data());
  };
  return options;
}

void report_heap(const char* app) {
  struct mallinfo2 info = mallinfo2();
  char high_water[48] = "";
  if (info.usmblks != 0)
    std::snprintf(high_water, sizeof high_water, ", high-water %zu KiB", info.usmblks / 1024);
  std::printf("%s: heap: %zu KiB in use%s, of %zu KiB\n", app, info.uordblks / 1024, high_water,
              info.arena / 1024);
}

void report_heap_every(Loop& loop, const char* app, std::uint64_t period_ns) {
  loop.add_timer_after(period_ns, [&loop, app, period_ns] {
    report_heap(app);
    report_heap_every(loop, app, period_ns);
  });
}

void drain(Loop& loop, const Stack& stack, std::uint64_t limit_ns) {
  std::uint64_t deadline = paf_clock_monotonic() + limit_ns;
  while (!stack.all_sent() && paf_clock_monotonic() < deadline)
    (void)loop.run_until(std::min(deadline, paf_clock_monotonic() + milliseconds(10)));
}

}  // namespace paf::image
