// The network end to end: a paf::Stack (lwIP) over the platform's NIC gets
// its address by DHCP from QEMU's user network (10.0.2.15), in well under the
// time allowed.
#include <cinttypes>
#include <cstdio>

#include "check.h"
#include "paf/loop.h"
#include "paf/net.h"
#include "paf/platform.h"
#include "paf/platform_loop_backend.h"
#include "paf/platform_net_device.h"

extern "C" int paf_app_main(const paf_start_info* info) {
  paf::PlatformLoopBackend backend;
  paf::Loop loop(backend);
  auto device = paf::PlatformNetDevice::acquire(backend, "service0");
  CHECK(device.has_value());
  std::uint64_t start = paf_clock_monotonic();
  auto stack = paf::Stack::from_cmdline(loop, **device, info->cmdline);
  CHECK(stack.has_value());
  stack->when_ready([&loop] { loop.stop(); });
  loop.add_timer_after(paf::seconds(30), [&loop] { loop.stop(); });
  CHECK(loop.run().has_value());
  CHECK(stack->ready());
  std::uint64_t elapsed_ms = (paf_clock_monotonic() - start) / 1000000;
  std::printf("dhcp: bound %s in %" PRIu64 " ms (%" PRIu64 " ms since boot)\n",
              stack->ipv4_address().c_str(), elapsed_ms, paf_clock_monotonic() / 1000000);
  CHECK(stack->ipv4_address().view() == "10.0.2.15");
  std::puts("SUCCESS");
  return 0;
}
