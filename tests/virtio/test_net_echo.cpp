// TCP through the NIC: once DHCP has bound, the image echoes one connection
// on port 7 (paf::Runtime driving an EchoConnection over an lwIP flow) and
// exits when the client has closed it and every byte went back. The runner
// forwards a host port to port 7 and checks 1 MiB with echo-client.py.
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "check.h"
#include "paf/loop.h"
#include "paf/net.h"
#include "paf/platform.h"
#include "paf/platform_loop_backend.h"
#include "paf/platform_net_device.h"
#include "paf/runtime.h"
#include "support/echo_connection.h"

namespace {

constexpr std::uint16_t kEchoPort = 7;

// One echoed connection: accepted, run, then the loop stops.
class EchoServer {
 public:
  EchoServer(paf::Loop& loop, paf::Listener& listener) : loop_(loop), listener_(listener) {
    connection_.window = 64 * 1024;  // lets a whole TCP window through at once
  }

  void accept_next() {
    auto flow = listener_.accept();
    if (!flow) {
      if (flow.error().code != paf::Errc::would_block) return fail("accept failed");
      return listener_.when_acceptable([this] { accept_next(); });
    }
    flow_ = std::move(*flow);
    runtime_ = std::make_unique<paf::Runtime>(loop_, connection_, *flow_);
    runtime_->start([this](paf::RunOutcome) { loop_.stop(); });
  }

  bool failed() const { return failed_ || connection_.error.has_value(); }

 private:
  void fail(const char* why) {
    std::printf("echo: %s\n", why);
    failed_ = true;
    loop_.stop();
  }

  paf::Loop& loop_;
  paf::Listener& listener_;
  paf::test_support::EchoConnection connection_;
  std::unique_ptr<paf::Flow> flow_;
  std::unique_ptr<paf::Runtime> runtime_;
  bool failed_ = false;
};

}  // namespace

extern "C" int paf_app_main(const paf_start_info* info) {
  paf::PlatformLoopBackend backend;
  paf::Loop loop(backend);
  auto device = paf::PlatformNetDevice::acquire(backend, "service0");
  CHECK(device.has_value());
  auto stack = paf::Stack::from_cmdline(loop, **device, info->cmdline);
  CHECK(stack.has_value());
  stack->when_ready([&loop] { loop.stop(); });
  CHECK(loop.run().has_value());
  auto listener = stack->listen(kEchoPort);
  CHECK(listener.has_value());
  std::printf("echo: listening on %s port %u\n", stack->ipv4_address().c_str(), kEchoPort);
  EchoServer server(loop, **listener);
  server.accept_next();
  std::uint64_t start = paf_clock_monotonic();
  CHECK(loop.run().has_value());
  CHECK(!server.failed());
  std::printf("echo: connection done after %" PRIu64 " ms\n",
              (paf_clock_monotonic() - start) / 1000000);
  // Closing hands the last echoed bytes and the FIN to lwIP, which sends them
  // as the client acknowledges; exiting at once would drop what is still
  // queued. Wait until the client has acknowledged everything (bounded).
  bool all_sent = false;
  stack->when_all_sent([&] {
    all_sent = true;
    loop.stop();
  });
  loop.add_timer_after(paf::seconds(5), [&loop] { loop.stop(); });
  CHECK(loop.run().has_value());
  CHECK(all_sent);
  std::puts("SUCCESS");
  return 0;
}
