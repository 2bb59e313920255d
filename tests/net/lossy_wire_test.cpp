// 1 MiB bodies over a bad wire, on simulated time: the demo server (HTTPS
// with ALPN, and cleartext HTTP) on one lwIP stack, paf::Client on the other,
// the SimulatedEthernet between them losing 10% of the frames, duplicating
// and reordering some, and cut for three seconds in the middle of the
// transfers. Every body arrives whole and intact (0 lost, 0 corrupted), over
// HTTP/2 on TLS and HTTP/1.1 alike, and a run repeats exactly for its seed:
// the platform's entropy here is a fixed sequence (fuzz/entropy.cpp's), so
// lwIP's and TLS's random numbers repeat too, and a second process of this
// test makes the same frames, faults and time. (tests/unikernel/faults.sh
// does the same between a real image and the host kernel's TCP.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "demo_handler.h"
#include "entropy.h"
#include "paf/client.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "paf/tls.h"
#include "tls/tls_test_support.h"
#include "two_stacks.h"

namespace paf::net_test {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// A body the server cannot guess: 1 MiB from a seeded generator.
std::string upload_body() {
  std::string body(kMiB, '\0');
  std::uint64_t state = 0x9e3779b97f4a7c15;
  for (char& byte : body) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    byte = static_cast<char>(state);
  }
  return body;
}

struct Transfer {
  std::string name;
  std::optional<int> status;
  std::string body;
  bool ended = false;
  std::optional<Error> failure;
};

struct Scenario {
  std::vector<Transfer> transfers;
  SimulatedEthernetStats stats;
  std::uint64_t simulated_ns = 0;
  std::vector<std::string> connections;  // "https HTTP/2", ... in the order they were made
};

// One run of the scenario for `seed` (once per process: TLS's generator is
// seeded once): four transfers at once (GET /large and POST /echo, over https
// (h2) and http (HTTP/1.1)); the wire cut from 2 s to 5 s of simulated time.
Scenario run_scenario(std::uint64_t seed) {
  fuzz::restart_entropy();
  SimulatedEthernetOptions faults;
  faults.loss = 0.10;
  faults.duplicate = 0.01;
  faults.reorder = 0.02;
  faults.delay_ns = milliseconds(5);
  faults.seed = seed;
  TwoStacks net(faults);

  const auto& certificates = tls::test::ec();
  auto server_tls = TlsConfig::server(certificates.pem("localhost-ec"), certificates.key("localhost-ec"))
                        .alpn({"h2", "http/1.1"})
                        .build();
  EXPECT_TRUE(server_tls) << server_tls.error().message;
  auto https = net.server->listen(443);
  auto http = net.server->listen(80);
  EXPECT_TRUE(https && http);
  demo::Options quiet;
  quiet.access_log = false;
  auto handler = [quiet] { return RequestHandler([quiet](Reqd& reqd) { demo::handle(reqd, quiet); }); };
  Switch stop;
  int serving = 2;
  auto serve_options = [&] {
    ServeOptions options;
    options.on_stopped = [&] { --serving; };
    return options;
  };
  serve(net.loop, https_service(*server_tls, handler(), default_error_reply), **https, stop, serve_options());
  serve(net.loop, http_service(handler(), default_error_reply), **http, stop, serve_options());

  // The wire is what this test is about, not who the server is.
  auto client_tls = TlsConfig::client().insecure_for_tests().alpn({"h2", "http/1.1"}).build();
  EXPECT_TRUE(client_tls);
  mimic::Ctx ctx = mimic::with_stack_protocols({}, *net.client).with(mimic::keys::tls, *client_tls);
  // A SYN lost three times waits 3 + 6 + 12 s (lwIP's backoff) before the
  // next: connecting may take longer than the 30 s a client allows by default.
  ClientConfig config;
  config.connect_timeout_ns = seconds(600);
  config.response_timeout_ns = seconds(600);
  config.body_idle_timeout_ns = seconds(600);
  auto client = std::make_unique<Client>(net.loop, mimic_connector(ctx, net.loop), config);

  Scenario run;
  client->on_connection([&run](const ConnectionInfo& info) {
    run.connections.push_back(std::string(info.origin->scheme.view()) +
                              (info.version == HttpVersion::http_2 ? " HTTP/2" : " HTTP/1.1"));
  });
  run.transfers.reserve(4);
  const std::string upload = upload_body();
  auto start = [&](std::string name, std::string_view scheme, std::uint16_t port, Method method,
                   std::string_view path) {
    Transfer& transfer = run.transfers.emplace_back();
    transfer.name = std::move(name);
    Request request(method, path);
    if (method == Method::POST) request.headers.add("content-length", std::to_string(upload.size()));
    auto writer = client->request(
        Origin{Buffer(scheme), Buffer(std::string_view("10.0.0.2")), port}, std::move(request),
        [&transfer](Result<Response> response, BodyReader body) {
          if (!response) {
            transfer.failure = response.error();
            transfer.ended = true;
            return;
          }
          transfer.status = response->status;
          body.on_data([&transfer](Bytes bytes) {
            transfer.body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
          });
          body.on_end([&transfer](Result<void> end) {
            if (!end) transfer.failure = end.error();
            transfer.ended = true;
          });
        });
    EXPECT_TRUE(writer) << writer.error().message;
    if (writer && method == Method::POST) {
      // The writer takes the whole body (it buffers past its high-water mark).
      (void)writer->write(Bytes(reinterpret_cast<const std::uint8_t*>(upload.data()), upload.size()));
      writer->close();
    }
  };
  start("https GET /large", "https", 443, Method::GET, "/large");
  start("https POST /echo", "https", 443, Method::POST, "/echo");
  start("http GET /large", "http", 80, Method::GET, "/large");
  start("http POST /echo", "http", 80, Method::POST, "/echo");

  auto all_ended = [&] {
    for (const Transfer& transfer : run.transfers)
      if (!transfer.ended) return false;
    return true;
  };
  // The cut: nothing passes from 2 s to 5 s; then the same faults as before.
  net.run_until([] { return false; }, seconds(2));
  SimulatedEthernetOptions cut = faults;
  cut.loss = 1.0;
  net.ethernet.set_options(cut);
  net.run_until([] { return false; }, seconds(3));
  net.ethernet.set_options(faults);
  EXPECT_TRUE(net.run_until(all_ended, seconds(600))) << "transfers still running after 600 s (simulated)";

  run.stats = net.ethernet.stats();
  run.simulated_ns = net.loop.now_ns();
  client.reset();
  stop.turn_off();
  EXPECT_TRUE(net.run_until([&] { return serving == 0; }));
  return run;
}

// What a run did, in one line; the same seed gives the same line.
std::string fingerprint(const Scenario& run) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a over every body
  for (const Transfer& transfer : run.transfers)
    for (char byte : transfer.body) hash = (hash ^ static_cast<std::uint8_t>(byte)) * 1099511628211ull;
  char line[200];
  std::snprintf(line, sizeof line, "fingerprint: sent %llu lost %llu duplicated %llu reordered %llu ns %llu bodies %016llx",
                static_cast<unsigned long long>(run.stats.sent), static_cast<unsigned long long>(run.stats.lost),
                static_cast<unsigned long long>(run.stats.duplicated),
                static_cast<unsigned long long>(run.stats.reordered),
                static_cast<unsigned long long>(run.simulated_ns), static_cast<unsigned long long>(hash));
  return line;
}

TEST(LossyWire, MebibyteBodiesOverTlsH2AndHttp11SurviveLossAndACutWire) {
  const Scenario run = run_scenario(7);
  const std::string upload = upload_body();
  std::string large;  // what GET /large is: the same over both protocols
  for (const Transfer& transfer : run.transfers) {
    ASSERT_FALSE(transfer.failure) << transfer.name << ": " << transfer.failure->message;
    EXPECT_EQ(transfer.status, 200) << transfer.name;
    ASSERT_EQ(transfer.body.size(), kMiB) << transfer.name;
    if (transfer.name.ends_with("/echo")) {
      EXPECT_TRUE(transfer.body == upload) << transfer.name;
    } else {
      if (large.empty()) large = transfer.body;
      EXPECT_TRUE(transfer.body == large) << transfer.name;
    }
  }
  // ALPN chose HTTP/2 (one connection for both transfers); cleartext is HTTP/1.1.
  EXPECT_EQ(std::count(run.connections.begin(), run.connections.end(), "https HTTP/2"), 1);
  EXPECT_EQ(std::count(run.connections.begin(), run.connections.end(), "http HTTP/1.1"), 2);
  EXPECT_EQ(run.connections.size(), 3u);
  EXPECT_GT(run.stats.lost, run.stats.sent / 20) << "the wire lost frames (10%, and the cut)";
  EXPECT_GT(run.stats.duplicated, 0u);
  EXPECT_GT(run.stats.reordered, 0u);
  std::printf("%s\n", fingerprint(run).c_str());
}

// The scenario, twice, each in a process of its own: the same fingerprint.
TEST(LossyWire, ARunRepeatsExactlyForItsSeed) {
  const std::string command =
      std::filesystem::read_symlink("/proc/self/exe").string() +
      " --gtest_filter=LossyWire.MebibyteBodiesOverTlsH2AndHttp11SurviveLossAndACutWire 2>&1";
  std::vector<std::string> lines;
  for (int i = 0; i < 2; ++i) {
    FILE* child = ::popen(command.c_str(), "r");
    ASSERT_NE(child, nullptr);
    char buffer[512];
    std::string found;
    while (std::fgets(buffer, sizeof buffer, child) != nullptr)
      if (std::string_view(buffer).starts_with("fingerprint: ")) found = buffer;
    EXPECT_EQ(::pclose(child), 0) << "the scenario failed in run " << i + 1;
    ASSERT_FALSE(found.empty()) << "no fingerprint from run " << i + 1;
    lines.push_back(found);
  }
  EXPECT_EQ(lines[0], lines[1]);
}

}  // namespace
}  // namespace paf::net_test
