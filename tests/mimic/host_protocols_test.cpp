// Mimic's host protocols over real sockets on loopback: Unix sockets and TCP
// with fallback between them, IPv6 literals, a connect that hangs against a
// full listen backlog, cancel, TLS to openssl s_server with ALPN, and names
// resolved by c-ares against a dnsmasq the test runs on 127.0.0.1.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "paf/mimic.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/mimic.h"
#include "paf/posix/socket_listener.h"
#include "support/socket_test_support.h"
#include "tls/child_process.h"
#include "tls/tls_test_support.h"

namespace paf::posix {
namespace {

using mimic::Ctx;
using mimic::Resolution;
using paf::tls::test::ChildProcess;
using paf::tls::test::ec;
using test::bytes_of;
using test::open_descriptor_count;
using test::Reader;

std::uint16_t port_of(const std::unique_ptr<TcpListener>& listener) { return *listener->port(); }

class HostProtocolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend = std::move(*EpollLoopBackend::create());
    loop = std::make_unique<Loop>(*backend);
    directory = std::filesystem::temp_directory_path() /
                ("paf-mimic-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory);
  }
  void TearDown() override {
    loop.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }

  Ctx host_ctx(DnsConfig dns = {}) { return with_host_protocols(Ctx{}, *backend, dns); }

  Ctx for_uri(const Ctx& ctx, const std::string& text) {
    auto uri = Uri::parse(text);
    EXPECT_TRUE(uri) << text;
    auto out = mimic::with_uri(ctx, *uri);
    EXPECT_TRUE(out) << text << ": " << out.error().message;
    return *out;
  }

  // Runs the loop until `condition`, for at most `limit`.
  bool run_until(const std::function<bool()>& condition,
                 std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      (void)loop->run_until(loop->now_ns() + milliseconds(10));
    }
    return true;
  }

  std::optional<Resolution> resolve_now(const Ctx& ctx) {
    std::optional<Resolution> answer;
    mimic::Resolving resolving =
        mimic::resolve(ctx, *loop, [&](Resolution r) { answer = std::move(r); });
    EXPECT_TRUE(run_until([&] { return answer.has_value(); })) << "resolve hangs";
    return answer;
  }

  // Accepts one connection from `listener` (bounded).
  std::unique_ptr<Flow> accept_one(Listener& listener) {
    std::unique_ptr<Flow> accepted;
    run_until([&] {
      auto flow = listener.accept();
      if (flow) accepted = std::move(*flow);
      return accepted != nullptr;
    });
    return accepted;
  }

  std::unique_ptr<EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::filesystem::path directory;
};

TEST_F(HostProtocolsTest, AUnixSocketComesFirstWhenItIsThere) {
  auto unix_listener = UnixListener::listen(*backend, (directory / "app.sock").string());
  ASSERT_TRUE(unix_listener);
  auto tcp_listener = TcpListener::listen(*backend, "127.0.0.1", 0);
  ASSERT_TRUE(tcp_listener);
  Ctx ctx = for_uri(host_ctx(), "http://127.0.0.1:" + std::to_string(port_of(*tcp_listener)) + "/")
                .with(mimic::keys::unix_path, Buffer((directory / "app.sock").string()));
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "unix");
  EXPECT_NE(accept_one(**unix_listener), nullptr);
}

TEST_F(HostProtocolsTest, FallsBackToTcpWhenTheUnixSocketIsMissing) {
  auto listener = TcpListener::listen(*backend, "127.0.0.1", 0);
  ASSERT_TRUE(listener);
  Ctx ctx = for_uri(host_ctx(), "http://127.0.0.1:" + std::to_string(port_of(*listener)) + "/")
                .with(mimic::keys::unix_path, Buffer((directory / "missing.sock").string()));
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "tcp");
  auto server = accept_one(**listener);
  ASSERT_NE(server, nullptr);
  // The flow works: what the client writes, the server reads.
  ASSERT_TRUE((*answer)->flow->write(bytes_of("over tcp")));
  ASSERT_TRUE((*answer)->flow->shutdown_write());
  Reader reader(*server);
  reader.start();
  ASSERT_TRUE(run_until([&] { return reader.finished(); }));
  EXPECT_EQ(reader.received, "over tcp");
}

TEST_F(HostProtocolsTest, WhenEveryProtocolFailsTheErrorListsEachAndWhy) {
  std::uint16_t closed_port;
  {
    auto listener = TcpListener::listen(*backend, "127.0.0.1", 0);
    ASSERT_TRUE(listener);
    closed_port = port_of(*listener);
  }
  Ctx ctx = for_uri(host_ctx(), "http://127.0.0.1:" + std::to_string(closed_port) + "/")
                .with(mimic::keys::unix_path, Buffer((directory / "missing.sock").string()));
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().describe(),
            "unix: socket: no such file or directory; tcp: socket: connection refused");
  ASSERT_EQ(answer->error().attempts.size(), 2u);
  EXPECT_EQ(answer->error().attempts[1].error.code, Errc::closed);
}

TEST_F(HostProtocolsTest, ConnectsToAnIpv6Literal) {
  auto listener = TcpListener::listen(*backend, "::1", 0);
  if (!listener) GTEST_SKIP() << "no IPv6 loopback: " << listener.error().message;
  auto answer =
      resolve_now(for_uri(host_ctx(), "http://[::1]:" + std::to_string(port_of(*listener)) + "/"));
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "tcp");
  EXPECT_EQ((*answer)->flow->peer(), "[::1]:" + std::to_string(port_of(*listener)));
  EXPECT_NE(accept_one(**listener), nullptr);
}

// A listener whose accept queue is full (backlog 0, one connection waiting,
// never accepted): Linux drops further SYNs, so a connect hangs, as towards a
// black hole, without leaving loopback.
class FullBacklog {
 public:
  FullBacklog() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 0) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      return;
    port_ = ntohs(address.sin_port);
    for (int i = 0; i < 2; ++i) {  // fills the queue (one, plus one more for good measure)
      int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      (void)::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
      fillers_.push_back(filler);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // their handshakes
  }
  ~FullBacklog() {
    for (int fd : fillers_) ::close(fd);
    if (listener_ >= 0) ::close(listener_);
  }
  std::uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  std::vector<int> fillers_;
  std::uint16_t port_ = 0;
};

TEST_F(HostProtocolsTest, AnUnreachableAddressTimesOutWithinItsBound) {
  FullBacklog full;
  ASSERT_NE(full.port(), 0);
  Ctx ctx = Ctx{}.with_protocol(
      tcp_protocol(*backend, 20, mimic::HappyEyeballs{milliseconds(250), milliseconds(300)}));
  ctx = for_uri(ctx, "http://127.0.0.1:" + std::to_string(full.port()) + "/");
  auto start = std::chrono::steady_clock::now();
  auto answer = resolve_now(ctx);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().describe(), "tcp: tcp: connect timed out");
  EXPECT_EQ(answer->error().error.code, Errc::timed_out);
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(HostProtocolsTest, TheStepTimeoutBoundsAHangingConnect) {
  FullBacklog full;
  ASSERT_NE(full.port(), 0);
  Ctx ctx = for_uri(host_ctx(), "http://127.0.0.1:" + std::to_string(full.port()) + "/")
                .with(mimic::keys::step_timeout, milliseconds(400));
  auto start = std::chrono::steady_clock::now();
  auto answer = resolve_now(ctx);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().describe(), "tcp: mimic: the step timed out");
  EXPECT_GE(elapsed, std::chrono::milliseconds(400));
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(HostProtocolsTest, CancelStopsAPendingConnectAndReleasesItsSocket) {
  FullBacklog full;
  ASSERT_NE(full.port(), 0);
  std::size_t descriptors = open_descriptor_count();
  bool called = false;
  mimic::Resolving resolving =
      mimic::resolve(for_uri(host_ctx(), "http://127.0.0.1:" + std::to_string(full.port()) + "/"),
                     *loop, [&](Resolution) { called = true; });
  (void)loop->run_until(loop->now_ns() + milliseconds(100));
  EXPECT_TRUE(resolving.pending());
  EXPECT_GT(open_descriptor_count(), descriptors);  // the connecting socket
  resolving.cancel();
  (void)loop->run_until(loop->now_ns() + milliseconds(50));
  EXPECT_EQ(open_descriptor_count(), descriptors);
  EXPECT_FALSE(called);
}

// --- TLS -----------------------------------------------------------------------

class HostTlsTest : public HostProtocolsTest {
 protected:
  // openssl s_server for localhost on 127.0.0.1, answering lines reversed.
  bool start_s_server() {
    std::vector<std::string> command = {"openssl", "s_server",
                                        "-accept", "127.0.0.1:0",
                                        "-cert",   ec().path("localhost-ec.pem").string(),
                                        "-key",    ec().path("localhost-ec.key").string(),
                                        "-alpn",   "h2,http/1.1",
                                        "-rev"};
    server = std::make_unique<ChildProcess>(command, "/dev/null", directory / "s_server.out");
    constexpr std::string_view kAcceptLine = "ACCEPT 127.0.0.1:";
    for (int attempt = 0; attempt < 500 && server->started() && !server->exited(); ++attempt) {
      std::string output = server->output();
      if (auto at = output.find(kAcceptLine);
          at != std::string::npos && output.find('\n', at) != std::string::npos) {
        port = static_cast<std::uint16_t>(std::stoi(output.substr(at + kAcceptLine.size())));
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "s_server did not start: " << server->output();
    return false;
  }
  void TearDown() override {
    if (server) server->stop();
    HostProtocolsTest::TearDown();
  }

  std::unique_ptr<ChildProcess> server;
  std::uint16_t port = 0;
};

TEST_F(HostTlsTest, HttpsGoesOverTlsAndAlpnsChoiceIsVisible) {
  ASSERT_TRUE(start_s_server());
  auto tls = TlsConfig::client().trust_ca(ec().pem("ca-ec")).alpn({"h2", "http/1.1"}).build();
  ASSERT_TRUE(tls);
  // "localhost": a name, resolved (c-ares knows it without a query) to ::1
  // and 127.0.0.1; s_server listens on the latter only.
  Ctx ctx = for_uri(host_ctx().with(mimic::keys::tls, *tls),
                    "https://localhost:" + std::to_string(port) + "/");
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "tls+tcp");
  ASSERT_NE((*answer)->secure, nullptr);
  EXPECT_EQ(static_cast<Flow*>((*answer)->secure), (*answer)->flow.get());
  EXPECT_TRUE((*answer)->secure->handshake_done());
  EXPECT_EQ((*answer)->secure->alpn(), "h2");
  EXPECT_EQ((*answer)->secure->server_name(), "localhost");
  // The flow is the TLS flow: a line goes to s_server and comes back reversed.
  ASSERT_TRUE((*answer)->flow->write(bytes_of("hello mimic\n")));
  Reader reader(*(*answer)->flow);
  reader.start();
  EXPECT_TRUE(run_until([&] {
    return reader.received.find("cimim olleh") != std::string::npos || reader.finished();
  })) << reader.received;
  EXPECT_NE(reader.received.find("cimim olleh"), std::string::npos) << reader.received;
}

TEST_F(HostTlsTest, AServerNotTrustedFailsAndPlainTcpDoesNotStepIn) {
  ASSERT_TRUE(start_s_server());
  auto tls = TlsConfig::client().trust_ca(paf::tls::test::rsa().pem("ca-rsa")).build();
  ASSERT_TRUE(tls);
  Ctx ctx = for_uri(host_ctx().with(mimic::keys::tls, *tls),
                    "https://127.0.0.1:" + std::to_string(port) + "/");
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().attempts.size(), 1u) << answer->error().describe();
  EXPECT_EQ(answer->error().attempts[0].name, "tls+tcp");
  EXPECT_EQ(answer->error().error.code, Errc::tls_error);
}

// --- DNS through c-ares -----------------------------------------------------------

// dnsmasq on 127.0.0.1 at a free port, answering for paf-mimic.test only.
class HostDnsTest : public HostProtocolsTest {
 protected:
  bool start_dnsmasq() {
    int probe = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    (void)::bind(probe, reinterpret_cast<sockaddr*>(&address), length);
    (void)::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
    dns_port = ntohs(address.sin_port);
    ::close(probe);
    std::filesystem::path log = directory / "dnsmasq.log";
    std::vector<std::string> command = {"dnsmasq",
                                        "--keep-in-foreground",
                                        "--conf-file=/dev/null",
                                        "--user=root",
                                        "--group=root",
                                        "--listen-address=127.0.0.1",
                                        "--bind-interfaces",
                                        "--port=" + std::to_string(dns_port),
                                        "--no-resolv",
                                        "--no-hosts",
                                        "--pid-file=",
                                        "--address=/paf-mimic.test/127.0.0.1",
                                        "--address=/paf-mimic.test/::1",
                                        "--address=/nx.invalid/",  // NXDOMAIN
                                        "--log-queries",
                                        "--log-facility=" + log.string()};
    dnsmasq = std::make_unique<ChildProcess>(command, "/dev/null", directory / "dnsmasq.out");
    for (int attempt = 0; attempt < 250 && dnsmasq->started() && !dnsmasq->exited(); ++attempt) {
      if (std::filesystem::exists(log) && read(log).find("started") != std::string::npos)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "dnsmasq did not start: " << dnsmasq->output();
    return false;
  }
  void TearDown() override {
    if (dnsmasq) dnsmasq->stop();
    HostProtocolsTest::TearDown();
  }
  static std::string read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string servers() const { return "127.0.0.1:" + std::to_string(dns_port); }

  std::unique_ptr<ChildProcess> dnsmasq;
  std::uint16_t dns_port = 0;
};

TEST_F(HostDnsTest, ANameIsResolvedByCaresAndItsAddressesConnected) {
  if (::access("/usr/sbin/dnsmasq", X_OK) != 0) GTEST_SKIP() << "no dnsmasq";
  ASSERT_TRUE(start_dnsmasq());
  auto listener = TcpListener::listen(*backend, "127.0.0.1", 0);
  ASSERT_TRUE(listener);
  std::string server_list = servers();
  Ctx ctx = for_uri(host_ctx(DnsConfig{server_list, seconds(1), 2}),
                    "http://paf-mimic.test:" + std::to_string(port_of(*listener)) + "/");
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "tcp");
  EXPECT_EQ((*answer)->flow->peer(), "127.0.0.1:" + std::to_string(port_of(*listener)));
  EXPECT_NE(accept_one(**listener), nullptr);
  std::string log = read(directory / "dnsmasq.log");
  EXPECT_NE(log.find("query[A] paf-mimic.test from 127.0.0.1"), std::string::npos) << log;
  EXPECT_NE(log.find("query[AAAA] paf-mimic.test from 127.0.0.1"), std::string::npos) << log;
}

TEST_F(HostDnsTest, AnUnknownNameFailsTheDnsStepAndSaysSo) {
  if (::access("/usr/sbin/dnsmasq", X_OK) != 0) GTEST_SKIP() << "no dnsmasq";
  ASSERT_TRUE(start_dnsmasq());
  std::string server_list = servers();
  Ctx ctx = for_uri(host_ctx(DnsConfig{server_list, seconds(1), 2}), "http://host.nx.invalid/");
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().attempts.size(), 1u);
  EXPECT_EQ(answer->error().attempts[0].name, "dns");
  EXPECT_EQ(answer->error().attempts[0].error.code, Errc::invalid_argument);
  EXPECT_EQ(answer->error().describe().substr(0, 23), "dns: dns: no such name;");
}

TEST_F(HostDnsTest, AServerThatDoesNotAnswerTimesTheLookupOut) {
  // A UDP port nobody reads: queries vanish (no dnsmasq here).
  int silent = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::string server_list = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  std::size_t descriptors = open_descriptor_count();
  Ctx ctx =
      for_uri(host_ctx(DnsConfig{server_list, milliseconds(200), 1}), "http://paf-mimic.test/");
  auto start = std::chrono::steady_clock::now();
  auto answer = resolve_now(ctx);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ::close(silent);
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().attempts[0].name, "dns");
  EXPECT_EQ(answer->error().attempts[0].error.code, Errc::timed_out) << answer->error().describe();
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  (void)loop->run_until(loop->now_ns() + milliseconds(10));
  EXPECT_EQ(open_descriptor_count(), descriptors - 1);  // c-ares' socket is gone, and `silent`
}

}  // namespace
}  // namespace paf::posix
