// HTTP/1.1 over lwIP: paf's server (serve + http_service, driven by
// paf::Runtime) on one stack, paf's HTTP/1.1 client on the other, over a simulated
// Ethernet that loses and reorders frames.
#include <gtest/gtest.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "paf/h1.h"
#include "paf/runtime.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "two_stacks.h"

namespace paf::net_test {
namespace {

constexpr int kConnections = 10;
constexpr int kRequestsPerConnection = 10;

// The body of "/body/N": a size and bytes that differ for every N.
std::string body_for(int n) {
  std::string body(1 + static_cast<std::size_t>(n) * 7919 % 40000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + (i + n) % 26);
  return body;
}

void serve_bodies(Reqd& reqd) {
  std::string_view target = reqd.request().target();
  int n = -1;
  if (target.starts_with("/body/")) std::from_chars(target.data() + 6, target.data() + target.size(), n);
  if (n < 0) return (void)reqd.respond_with_string({404, {}}, "no such body");
  (void)reqd.respond_with_string({200, {{"content-type", "application/octet-stream"}}}, body_for(n));
}

struct Received {
  std::optional<int> status;
  std::string body;
  bool ended = false;
  bool failed = false;
};

// One keep-alive connection that sends its requests one after the other.
struct Client {
  std::unique_ptr<Flow> flow;
  std::unique_ptr<H1ClientConnection> connection;
  std::unique_ptr<Runtime> runtime;
};

class HundredExchanges {
 public:
  explicit HundredExchanges(TwoStacks& net) : net_(net), received_(kConnections * kRequestsPerConnection) {}

  void start() {
    for (int c = 0; c < kConnections; ++c) {
      auto flow = net_.client->connect("10.0.0.2", 80);
      ASSERT_TRUE(flow) << flow.error().message;
      auto& client = clients_.emplace_back();
      client.flow = std::move(*flow);
      client.connection = H1ClientConnection::create({}, [this] { return net_.loop.now_ns(); });
      client.runtime = std::make_unique<Runtime>(net_.loop, *client.connection, *client.flow);
      client.runtime->start([](RunOutcome) {});
      send(c, 0);
    }
  }

  int ended() const {
    int count = 0;
    for (const Received& each : received_) count += each.ended;
    return count;
  }
  const std::vector<Received>& received() const { return received_; }
  void stop() { clients_.clear(); }

 private:
  void send(int c, int i) {
    int n = c * kRequestsPerConnection + i;
    Received& into = received_[static_cast<std::size_t>(n)];
    auto on_response = [this, c, i, &into](Result<Response> response, BodyReader body) {
      if (!response) {
        into.failed = into.ended = true;
        return;
      }
      into.status = response->status;
      body.on_data([&into](Bytes bytes) { into.body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size()); });
      body.on_end([this, c, i, &into](Result<void> end) {
        into.failed = !end;
        into.ended = true;
        if (i + 1 < kRequestsPerConnection) net_.loop.post([this, c, i] { send(c, i + 1); });
      });
    };
    std::string target = "/body/" + std::to_string(n);
    auto sent = clients_[static_cast<std::size_t>(c)].connection->request(
        Request(Method::GET, target, {{"host", "10.0.0.2"}}), std::move(on_response));
    ASSERT_TRUE(sent) << sent.error().message;
  }

  TwoStacks& net_;
  std::vector<Received> received_;
  std::vector<Client> clients_;
};

TEST(HttpOverLwip, HundredExchangesWithLossAndReorderingAllGetTheirBodies) {
  SimulatedEthernetOptions faults;
  faults.loss = 0.05;
  faults.reorder = 0.05;
  faults.delay_ns = milliseconds(1);
  faults.seed = 2024;
  TwoStacks net(faults);
  auto listener = net.server->listen(80);
  ASSERT_TRUE(listener) << listener.error().message;
  Switch stop;
  bool stopped = false;
  ServeOptions options;
  options.on_stopped = [&] { stopped = true; };
  serve(net.loop, http_service(serve_bodies, default_error_reply), **listener, stop, std::move(options));

  HundredExchanges exchanges(net);
  exchanges.start();
  ASSERT_TRUE(net.run_until([&] { return exchanges.ended() == kConnections * kRequestsPerConnection; },
                            seconds(3600)))
      << exchanges.ended() << " exchanges ended";
  for (std::size_t n = 0; n < exchanges.received().size(); ++n) {
    const Received& each = exchanges.received()[n];
    EXPECT_FALSE(each.failed) << "request " << n;
    EXPECT_EQ(each.status, 200) << "request " << n;
    EXPECT_TRUE(each.body == body_for(static_cast<int>(n))) << "request " << n << ": " << each.body.size() << " bytes";
  }
  const SimulatedEthernetStats& stats = net.ethernet.stats();
  EXPECT_GT(stats.lost, 0u);
  EXPECT_GT(stats.reordered, 0u);
  std::printf("frames: %llu sent, %llu lost, %llu reordered; %.1f s simulated\n",
              static_cast<unsigned long long>(stats.sent), static_cast<unsigned long long>(stats.lost),
              static_cast<unsigned long long>(stats.reordered), static_cast<double>(net.loop.now_ns()) / 1e9);

  exchanges.stop();
  stop.turn_off();
  ASSERT_TRUE(net.run_until([&] { return stopped; }));
}

}  // namespace
}  // namespace paf::net_test
