// paf::Client against paf-server (tools/paf-server) on loopback: HTTP/1.1
// keep-alive and its per-origin cap, HTTP/2 over TLS as ALPN chose and h2c by
// prior knowledge, bodies streamed both ways and checked byte for byte,
// cancellation, shutdown.
#include <gtest/gtest.h>

#include <random>

#include "support.h"

namespace paf {
namespace {

using namespace paf::testing;

// One paf-server for the whole suite: http on `http_port`, https on `https_port`.
struct PafServer {
  ScratchDir dir;
  Process process;
  std::uint16_t http_port = 0, https_port = 0;
  std::string certificate;

  bool start() {
    if (!make_certificate(dir)) return false;
    certificate = read_file(dir.file("cert.pem"));
    for (int attempt = 0; attempt < 5; ++attempt) {
      http_port = free_port();
      https_port = free_port();
      process.start(
          {
              PAF_SERVER_PATH,
              "--host",
              "127.0.0.1",
              "--http",
              std::to_string(http_port),
              "--https",
              std::to_string(https_port),
              "--cert",
              dir.file("cert.pem"),
              "--key",
              dir.file("key.pem"),
          },
          dir.file("server.log"));
      if (wait_accepting(process, http_port) && wait_accepting(process, https_port)) return true;
      process.stop();
    }
    return false;
  }
};

PafServer* server = nullptr;

class PafServerClient : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new PafServer;
    if (!server->start()) {
      delete server;
      server = nullptr;
    }
  }
  static void TearDownTestSuite() {
    if (server != nullptr && ::testing::UnitTest::GetInstance()->failed_test_count() > 0)
      std::fprintf(stderr, "paf-server's log:\n%s\n",
                   read_file(server->dir.file("server.log")).c_str());
    delete server;
    server = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server, nullptr) << "paf-server did not start";
    auto created = posix::EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
  }
  void TearDown() override {
    client.reset();
    loop.reset();
    backend.reset();
  }

  // A client whose TLS trusts paf-server's certificate and offers `alpn`.
  void make_client(ClientConfig config = {},
                   std::initializer_list<std::string_view> alpn = {"h2", "http/1.1"}) {
    auto tls = TlsConfig::client().trust_certificate(server->certificate).alpn(alpn).build();
    ASSERT_TRUE(tls) << tls.error().message;
    client = std::make_unique<Client>(*loop, host_connector(*backend, *loop, *tls), config);
    client->on_connection(
        [this](const ConnectionInfo& info) { protocols.push_back(info.version); });
  }
  Origin http() const { return origin("http", "127.0.0.1", server->http_port); }
  Origin https() const { return origin("https", "localhost", server->https_port); }
  Origin https_by_address() const { return origin("https", "127.0.0.1", server->https_port); }

  BodyWriter get(const Origin& origin, std::string_view target, Seen* seen) {
    auto writer = client->request(origin, Request(Method::GET, target), record(seen));
    EXPECT_TRUE(writer);
    return writer ? *writer : BodyWriter();
  }

  // POSTs `body` to /echo in pieces, minding backpressure, and checks the echo.
  void echo(const Origin& origin, const std::string& body) {
    Seen seen;
    auto writer = client->request(origin, Request(Method::POST, "/echo"), record(&seen));
    ASSERT_TRUE(writer);
    std::size_t sent = 0;
    Function<void()> pump;
    pump = [&] {
      while (sent < body.size()) {
        std::size_t n = std::min<std::size_t>(16 * 1024, body.size() - sent);
        auto written = writer->write(std::string_view(body).substr(sent, n));
        ASSERT_TRUE(written) << written.error().message;
        sent += n;
        if (*written == Backpressure::full) return writer->on_writable([&] { pump(); });
      }
      ASSERT_TRUE(writer->close());
    };
    pump();
    ASSERT_TRUE(run_until(
        *loop, [&] { return seen.done(); }, 30));
    ASSERT_FALSE(seen.error) << seen.error->message;
    EXPECT_EQ(seen.status, 200);
    EXPECT_EQ(seen.body.size(), body.size());
    EXPECT_TRUE(seen.body == body) << "the echo differs from what was sent";
  }

  std::unique_ptr<posix::EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<Client> client;
  std::vector<HttpVersion> protocols;  // of each connection made
};

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(generator());
  return bytes;
}

TEST_F(PafServerClient, Http1SequentialRequestsReuseOneConnection) {
  make_client();
  for (int i = 0; i < 20; ++i) {
    Seen seen;
    get(http(), "/", &seen);
    ASSERT_TRUE(run_until(*loop, [&] { return seen.done(); }));
    ASSERT_FALSE(seen.error) << seen.error->message;
    EXPECT_EQ(seen.status, 200);
    EXPECT_EQ(seen.body, "Hello World!");
  }
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_1_1});
  EXPECT_EQ(client->connection_count(), 1u);
}

TEST_F(PafServerClient, Http1ConcurrentRequestsStayWithinTheConnectionCap) {
  ClientConfig config;
  config.max_connections_per_origin = 3;
  make_client(config);
  std::vector<Seen> seen(12);
  for (int i = 0; i < 12; ++i) get(http(), "/random?len=1000&seed=" + std::to_string(i), &seen[i]);
  ASSERT_TRUE(run_until(*loop, [&] {
    return std::all_of(seen.begin(), seen.end(), [](const Seen& s) { return s.done(); });
  }));
  for (const Seen& one : seen) {
    ASSERT_FALSE(one.error) << one.error->message;
    EXPECT_EQ(one.body.size(), 1000u);
  }
  // The first connection tells the protocol; then up to the cap.
  EXPECT_GE(protocols.size(), 2u);
  EXPECT_LE(protocols.size(), 3u);
}

TEST_F(PafServerClient, Http1StreamsARequestBodyAndItsEcho) {
  make_client();
  echo(http(), random_bytes(1024 * 1024 + 7, 1));
}

TEST_F(PafServerClient, Http2OverTlsMultiplexesConcurrentRequestsOnOneConnection) {
  make_client();
  std::vector<Seen> seen(100);
  for (int i = 0; i < 100; ++i)
    get(https(), "/random?len=4096&seed=" + std::to_string(i), &seen[i]);
  ASSERT_TRUE(run_until(
      *loop,
      [&] { return std::all_of(seen.begin(), seen.end(), [](const Seen& s) { return s.done(); }); },
      30));
  for (const Seen& one : seen) {
    ASSERT_FALSE(one.error) << one.error->message;
    EXPECT_EQ(one.status, 200);
    EXPECT_EQ(one.body.size(), 4096u);
  }
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_2});
  EXPECT_EQ(client->connection_count(), 1u);
  // The same seed gives the same bytes over HTTP/1.1.
  Seen again;
  make_client({}, {"http/1.1"});
  get(https(), "/random?len=4096&seed=7", &again);
  ASSERT_TRUE(run_until(*loop, [&] { return again.done(); }));
  EXPECT_EQ(protocols.back(), HttpVersion::http_1_1);
  EXPECT_TRUE(again.body == seen[7].body);
}

TEST_F(PafServerClient, Http2StreamsARequestBodyAndItsEcho) {
  make_client();
  echo(https(), random_bytes(1024 * 1024 + 3, 2));
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_2});
}

TEST_F(PafServerClient, H2cStreamsARequestBodyAndItsEcho) {
  ClientConfig config;
  config.h2_prior_knowledge = true;
  make_client(config);
  echo(http(), random_bytes(1024 * 1024 + 5, 4));
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_2});
}

TEST_F(PafServerClient, AlpnHttp11OverTls) {
  make_client({}, {"http/1.1"});
  echo(https(), random_bytes(100 * 1000, 3));
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_1_1});
}

TEST_F(PafServerClient, H2cByPriorKnowledge) {
  ClientConfig config;
  config.h2_prior_knowledge = true;
  make_client(config);
  Seen seen;
  get(http(), "/", &seen);
  ASSERT_TRUE(run_until(*loop, [&] { return seen.done(); }));
  ASSERT_FALSE(seen.error) << seen.error->message;
  EXPECT_EQ(seen.body, "Hello World!");
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_2});
}

TEST_F(PafServerClient, AnUntrustedCertificateFailsWithTlsErrorAndTheClientGoesOn) {
  make_client();
  Seen refused;
  // paf-server's certificate names localhost, but the client trusts another.
  ScratchDir other;
  ASSERT_TRUE(make_certificate(other));
  auto tls =
      TlsConfig::client().trust_certificate(read_file(other.file("cert.pem"))).alpn({"h2"}).build();
  ASSERT_TRUE(tls);
  Client untrusting(*loop, host_connector(*backend, *loop, *tls));
  ASSERT_TRUE(untrusting.request(https(), Request(Method::GET, "/"), record(&refused)));
  ASSERT_TRUE(run_until(*loop, [&] { return refused.done(); }));
  ASSERT_TRUE(refused.error) << "status " << refused.status.value_or(0);
  EXPECT_EQ(refused.error->code, Errc::tls_error) << refused.error->message;
  Seen second;
  ASSERT_TRUE(untrusting.request(https(), Request(Method::GET, "/"), record(&second)));
  ASSERT_TRUE(run_until(*loop, [&] { return second.done(); }));
  ASSERT_TRUE(second.error);
  EXPECT_EQ(second.error->code, Errc::tls_error);
  EXPECT_TRUE(run_until(*loop, [&] { return untrusting.connection_count() == 0; }));
}

TEST_F(PafServerClient, CancellingAQueuedRequestFailsItAloneWithCancelled) {
  ClientConfig config;
  config.max_connections_per_origin = 1;
  make_client(config);
  Seen first, cancelled, third;
  get(http(), "/", &first);
  BodyWriter second = get(http(), "/", &cancelled);
  get(http(), "/", &third);
  second.cancel();
  ASSERT_TRUE(run_until(*loop, [&] { return first.done() && cancelled.done() && third.done(); }));
  ASSERT_TRUE(cancelled.error);
  EXPECT_EQ(cancelled.error->code, Errc::cancelled);
  EXPECT_EQ(first.body, "Hello World!");
  EXPECT_EQ(third.body, "Hello World!");
}

TEST_F(PafServerClient, CancellingAStreamingResponseOverHttp2LeavesTheConnection) {
  make_client();
  Seen large, after;
  std::optional<Error> ended;
  ASSERT_TRUE(client->request(https(), Request(Method::GET, "/large"),
                              [&](Result<Response> response, BodyReader body) {
                                ASSERT_TRUE(response);
                                body.on_data([body](Bytes) mutable { body.cancel(); });
                                body.on_end([&](Result<void> end) {
                                  if (!end) ended = end.error();
                                  large.ended = true;
                                });
                              }));
  ASSERT_TRUE(run_until(*loop, [&] { return large.ended; }));
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->code, Errc::cancelled);
  get(https(), "/", &after);
  ASSERT_TRUE(run_until(*loop, [&] { return after.done(); }));
  EXPECT_EQ(after.body, "Hello World!");
  EXPECT_EQ(protocols.size(), 1u);
}

TEST_F(PafServerClient, ShutdownClosesIdleConnections) {
  make_client();
  Seen one, two;
  get(http(), "/", &one);
  get(https(), "/", &two);
  ASSERT_TRUE(run_until(*loop, [&] { return one.done() && two.done(); }));
  EXPECT_EQ(client->connection_count(), 2u);
  bool closed = false;
  client->shutdown([&] { closed = true; });
  ASSERT_TRUE(run_until(*loop, [&] { return closed; }));
  EXPECT_EQ(client->connection_count(), 0u);
  Seen refused;
  EXPECT_FALSE(client->request(http(), Request(Method::GET, "/"), record(&refused)));
}

TEST_F(PafServerClient, TheWholeRequestTimeoutEndsASlowRead) {
  ClientConfig config;
  config.request_timeout_ns = milliseconds(300);
  make_client(config);
  std::optional<Error> ended;
  bool done = false;
  ASSERT_TRUE(client->request(http(), Request(Method::GET, "/large"),
                              [&](Result<Response> response, BodyReader body) {
                                ASSERT_TRUE(response);
                                body.pause();  // never read on
                                body.on_data([](Bytes) {});
                                body.on_end([&](Result<void> end) {
                                  if (!end) ended = end.error();
                                  done = true;
                                });
                              }));
  ASSERT_TRUE(run_until(*loop, [&] { return done; }));
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->code, Errc::timed_out);
}

}  // namespace
}  // namespace paf
