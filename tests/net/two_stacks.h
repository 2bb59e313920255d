// Two paf::Stacks on one SimulatedEthernet (a client at 10.0.0.1, a server at 10.0.0.2),
// on a loop with simulated time, and helpers to drive flows in tests.
#ifndef PAF_TESTS_NET_TWO_STACKS_H
#define PAF_TESTS_NET_TWO_STACKS_H

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "paf/loop.h"
#include "paf/net.h"
#include "paf/simulated_ethernet.h"
#include "support/text_bytes.h"

namespace paf::net_test {

inline StackConfig static_config(std::string_view ip) {
  StackConfig config;
  config.ipv4 = *Ipv4Address::parse(ip);
  config.ipv4_prefix_length = 24;
  return config;
}

struct TwoStacks {
  explicit TwoStacks(SimulatedEthernetOptions options = {}) : ethernet(loop, options) {
    auto made_client = Stack::create(loop, client_device, static_config("10.0.0.1"));
    auto made_server = Stack::create(loop, server_device, static_config("10.0.0.2"));
    EXPECT_TRUE(made_client && made_server);
    client.emplace(std::move(*made_client));
    server.emplace(std::move(*made_server));
  }

  // Runs the loop until `done` holds; false if `timeout` (simulated) passes first.
  bool run_until(const std::function<bool()>& done, std::uint64_t timeout = seconds(60)) {
    std::uint64_t deadline = loop.now_ns() + timeout;
    while (!done()) {
      if (loop.now_ns() >= deadline) return false;
      if (!loop.run_until(std::min(deadline, loop.now_ns() + milliseconds(1)))) return false;
    }
    return true;
  }

  // Accepts the next connection of `listener`, running the loop meanwhile.
  std::unique_ptr<Flow> accept(Listener& listener) {
    std::unique_ptr<Flow> accepted;
    run_until([&] {
      auto flow = listener.accept();
      if (flow) accepted = std::move(*flow);
      return accepted != nullptr;
    });
    return accepted;
  }

  // A flow's first when_writable wakeup (the connection is up, or failed).
  bool wait_writable(Flow& flow) {
    bool woken = false;
    flow.when_writable([&] { woken = true; });
    return run_until([&] { return woken; });
  }

  SimulatedTimeBackend backend;
  Loop loop{backend};
  SimulatedEthernet ethernet;
  SimulatedEthernetDevice& client_device = ethernet.plug({0x02, 0, 0, 0, 0, 0x01});
  SimulatedEthernetDevice& server_device = ethernet.plug({0x02, 0, 0, 0, 0, 0x02});
  std::optional<Stack> client;
  std::optional<Stack> server;
};

using paf::testing::bytes_of;

// One read into a small buffer.
inline Result<std::size_t> read_once(Flow& flow) {
  std::uint8_t buffer[64];
  return flow.read(buffer);
}

// Reads what `flow` has now; sets `eof` at end of stream.
inline std::string read_available(Flow& flow, bool* eof = nullptr) {
  std::string text;
  std::uint8_t buffer[4096];
  for (;;) {
    auto n = flow.read(buffer);
    if (!n) return text;
    if (*n == 0) {
      if (eof) *eof = true;
      return text;
    }
    text.append(reinterpret_cast<const char*>(buffer), *n);
  }
}

}  // namespace paf::net_test

#endif
