// serve() with http_service (HTTP/1.x and h2c) and https_service (TLS, then
// ALPN) over real TCP on 127.0.0.1, driven by paf's own clients: each
// protocol is picked as it should be, a handshake that fails is reported and
// ends its connection only, and stopping abandons handshakes in progress.
#include "paf/service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "paf/h1.h"
#include "paf/h2.h"
#include "paf/loop.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/socket_flow.h"
#include "paf/posix/socket_listener.h"
#include "paf/runtime.h"
#include "paf/switch.h"
#include "paf/tls.h"
#include "support/socket_test_support.h"
#include "tls/child_process.h"
#include "tls/tls_test_support.h"

namespace paf {
namespace {

using posix::EpollLoopBackend;
using posix::test::bytes_of;
using tls::test::ChildProcess;
using tls::test::ec;
using tls::test::ec_client;
using tls::test::ec_server;
using tls::test::expect_ok;
using tls::test::rsa;

// Answers which protocol carried the request.
void hello(Reqd& reqd) {
  (void)reqd.respond_with_string(
      {200, {{"x-protocol", reqd.version() == HttpVersion::http_2 ? "h2" : "h1"}}}, "Hello World!");
}

struct Received {
  std::optional<int> status;
  std::string protocol, body;
  bool ended = false;
};

// One client connection: a flow (TCP, or TLS over it) and a client engine.
struct Client {
  std::unique_ptr<Flow> flow;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<Runtime> runtime;
  bool done = false;
  Received received;

  template <typename Engine>
  void get(Engine& engine) {
    auto sent = engine.request(Request(Method::GET, "/", {{"host", "localhost"}}),
                               [this](Result<Response> response, BodyReader body) {
                                 if (!response) {
                                   received.ended = true;
                                   return;
                                 }
                                 received.status = response->status;
                                 for (auto field : response->headers)
                                   if (field.name == "x-protocol")
                                     received.protocol = std::string(field.value);
                                 body.on_data([this](Bytes bytes) {
                                   received.body.append(reinterpret_cast<const char*>(bytes.data()),
                                                        bytes.size());
                                 });
                                 body.on_end([this](Result<void>) { received.ended = true; });
                               });
    ASSERT_TRUE(sent) << sent.error().message;
  }
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend = expect_ok(EpollLoopBackend::create(), "epoll");
    loop = std::make_unique<Loop>(*backend);
    listener = expect_ok(posix::TcpListener::listen(*backend, "127.0.0.1", 0), "listen");
  }
  void TearDown() override {
    clients.clear();
    if (!stopped) {
      stop.turn_off();
      run_until([&] { return stopped; });
    }
    listener.reset();
    loop.reset();
  }

  void serve_with(Service service) {
    ServeOptions options;
    options.on_stopped = [this] { stopped = true; };
    options.on_refused = [this](std::string_view peer, const Error& error) {
      refused.push_back(std::string(peer) + ": " + std::string(error.message));
    };
    serve(*loop, std::move(service), *listener, stop, std::move(options));
  }

  std::unique_ptr<Flow> tcp() {
    return expect_ok(posix::connect_tcp(*backend, "127.0.0.1", *listener->port()), "connect");
  }
  std::unique_ptr<Flow> tls(std::initializer_list<std::string_view> alpn) {
    auto config = expect_ok(ec_client().alpn(alpn).build(), "client config");
    return expect_ok(TlsFlow::client(*loop, config, tcp(), "localhost"), "TLS client");
  }

  // GET / over `flow` with HTTP/2 or HTTP/1.1; returns the client.
  Client& get(std::unique_ptr<Flow> flow, bool http2, std::string_view scheme = "https") {
    Client& client = *clients.emplace_back(std::make_unique<Client>());
    client.flow = std::move(flow);
    Clock clock = [this] { return loop->now_ns(); };
    if (http2) {
      H2Config config;
      config.scheme = scheme;
      auto engine = H2ClientConnection::create(config, std::move(clock));
      client.get(*engine);
      client.connection = std::move(engine);
    } else {
      auto engine = H1ClientConnection::create({}, std::move(clock));
      client.get(*engine);
      client.connection = std::move(engine);
    }
    client.runtime = std::make_unique<Runtime>(*loop, *client.connection, *client.flow);
    client.runtime->start([&client](RunOutcome) { client.done = true; });
    return client;
  }

  bool run_until(const std::function<bool()>& done, std::uint64_t timeout = seconds(10)) {
    std::uint64_t deadline = loop->now_ns() + timeout;
    while (!done()) {
      if (loop->now_ns() >= deadline) return false;
      if (!loop->run_until(std::min(deadline, loop->now_ns() + milliseconds(5)))) return false;
    }
    return true;
  }

  void expect_hello(Client& client, std::string_view protocol) {
    ASSERT_TRUE(run_until([&] { return client.received.ended; }));
    EXPECT_EQ(client.received.status, 200);
    EXPECT_EQ(client.received.body, "Hello World!");
    EXPECT_EQ(client.received.protocol, protocol);
  }

  std::unique_ptr<EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<posix::TcpListener> listener;
  Switch stop;
  bool stopped = false;
  std::vector<std::string> refused;
  std::vector<std::unique_ptr<Client>> clients;
};

TEST_F(ServiceTest, HttpServiceServesH2cByPriorKnowledgeAndHttp1) {
  serve_with(http_service(hello, default_error_reply));
  expect_hello(get(tcp(), true, "http"), "h2");
  expect_hello(get(tcp(), false), "h1");
  EXPECT_TRUE(refused.empty());
}

TEST_F(ServiceTest, HttpsServicePicksTheProtocolAlpnChose) {
  serve_with(https_service(ec_server(), hello, default_error_reply));
  expect_hello(get(tls({"h2", "http/1.1"}), true), "h2");
  expect_hello(get(tls({"http/1.1"}), false), "h1");
  expect_hello(get(tls({}), false), "h1");
  EXPECT_TRUE(refused.empty());
}

TEST_F(ServiceTest, AHandshakeCutShortIsReportedAndTheNextClientServed) {
  serve_with(https_service(ec_server(), hello, default_error_reply));
  auto quitter = tcp();
  // A TLS record header announcing a 512-byte ClientHello, a few bytes of it.
  std::string half_hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  ASSERT_TRUE(run_until([&] { return quitter->write(bytes_of(half_hello)).has_value(); }));
  quitter->close();
  ASSERT_TRUE(run_until([&] { return !refused.empty(); }));
  EXPECT_NE(refused[0].find("127.0.0.1:"), std::string::npos) << refused[0];
  expect_hello(get(tls({"h2"}), true), "h2");
}

TEST_F(ServiceTest, NotTlsAtAllIsReportedAndTheNextClientServed) {
  serve_with(https_service(ec_server(), hello, default_error_reply));
  Client& plain = get(tcp(), false);  // HTTP/1.1 in clear text to a TLS port
  ASSERT_TRUE(run_until([&] { return plain.done; }));
  EXPECT_FALSE(plain.received.status.has_value());
  ASSERT_TRUE(run_until([&] { return !refused.empty(); }));
  expect_hello(get(tls({"h2"}), true), "h2");
}

TEST_F(ServiceTest, StopAbandonsHandshakesInProgress) {
  serve_with(https_service(ec_server(), hello, default_error_reply));
  auto silent = tcp();
  run_until([] { return false; }, milliseconds(50));  // accepted, handshake waiting
  std::uint64_t stopped_at = loop->now_ns();
  stop.turn_off();
  ASSERT_TRUE(run_until([&] { return stopped; }, seconds(2)));
  EXPECT_LT(loop->now_ns() - stopped_at, seconds(1)) << "no grace period for a handshake";
}

// https_service over a TlsConfigSlot: set() while an h2 connection is up.
// That connection goes on (more requests on it, its handshake long done); a
// new connection gets the new certificate, which a client trusting only the
// new CA accepts, a client trusting only the old one refuses, and openssl
// s_client shows.
TEST_F(ServiceTest, ASlotSetWhileServingChangesTheCertificateOfNewConnectionsOnly) {
  TlsConfigSlot slot(ec_server());
  serve_with(https_service(slot, hello, default_error_reply));
  auto trusting = [&](const std::string& ca_pem) {
    auto config = expect_ok(TlsConfig::client().trust_ca(ca_pem).alpn({"h2"}).build(), "client");
    return expect_ok(TlsFlow::client(*loop, config, tcp(), "localhost"), "TLS client");
  };
  Client& before = get(trusting(ec().pem("ca-ec")), true);
  expect_hello(before, "h2");

  slot.set(expect_ok(
      TlsConfig::server(rsa().pem("localhost-rsa"), rsa().key("localhost-rsa")).build(), "RSA"));
  EXPECT_EQ(slot.generation(), 2u);
  for (int round = 0; round < 3; ++round) {
    before.received = {};
    before.get(static_cast<H2ClientConnection&>(*before.connection));
    expect_hello(before, "h2");
  }
  EXPECT_FALSE(before.done) << "the connection made before the swap is still up";

  expect_hello(get(trusting(rsa().pem("ca-rsa")), true), "h2");
  Client& old_ca = get(trusting(ec().pem("ca-ec")), true);
  ASSERT_TRUE(run_until([&] { return old_ca.done; }));
  EXPECT_FALSE(old_ca.received.status.has_value()) << "the old CA does not vouch for the new chain";

  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("paf-slot-" + std::to_string(::getpid()) + ".out");
  ChildProcess s_client(
      {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(*listener->port()),
       "-servername", "localhost", "-alpn", "h2"},
      "/dev/null", out);
  ASSERT_TRUE(s_client.started());
  ASSERT_TRUE(run_until([&] { return s_client.exited(); }));
  const std::string shown = s_client.output();
  std::filesystem::remove(out);
  EXPECT_NE(shown.find("issuer=CN = paf test CA (RSA)"), std::string::npos) << shown;
  EXPECT_NE(shown.find("ALPN protocol: h2"), std::string::npos) << shown;
}

// An empty slot refuses handshakes (and says why) until it is set.
TEST_F(ServiceTest, AnEmptySlotRefusesConnectionsUntilSet) {
  TlsConfigSlot slot;
  serve_with(https_service(slot, hello, default_error_reply));
  Client& early = get(tls({"h2"}), true);
  ASSERT_TRUE(run_until([&] { return early.done; }));
  EXPECT_FALSE(early.received.status.has_value());
  ASSERT_TRUE(run_until([&] { return !refused.empty(); }));
  EXPECT_NE(refused[0].find("TLS: no certificate yet"), std::string::npos) << refused[0];
  slot.set(ec_server());
  expect_hello(get(tls({"h2"}), true), "h2");
}

}  // namespace
}  // namespace paf
