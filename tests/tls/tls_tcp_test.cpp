// TlsFlow over real TCP on loopback, against a real peer: openssl s_client.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "paf/posix/socket_listener.h"
#include "paf/tls.h"
#include "posix/socket_test_support.h"
#include "tls_test_support.h"

namespace paf::tls::test {
namespace {

using posix::test::LoopTest;
using posix::test::Reader;

class TlsTcpTest : public LoopTest {
 protected:
  std::unique_ptr<Flow> accept_one(Listener& listener) {
    std::unique_ptr<Flow> accepted;
    std::function<void()> try_accept = [&] {
      auto flow = listener.accept();
      if (flow)
        accepted = std::move(*flow);
      else if (flow.error().code == Errc::would_block)
        listener.when_acceptable([&] { try_accept(); });
    };
    try_accept();
    run_until([&] { return accepted != nullptr; });
    return accepted;
  }
};

TEST_F(TlsTcpTest, OpensslClientNegotiatesTls13AndH2) {
  if (std::system("command -v openssl >/dev/null") != 0) GTEST_SKIP() << "no openssl CLI";
  auto listener = expect_ok(posix::TcpListener::listen(*backend, "127.0.0.1", 0), "listen");
  auto port = std::to_string(*listener->port());
  std::string output = (directory / "s_client.out").string();
  std::string command =
      "echo ping | openssl s_client -ign_eof -alpn h2 -servername localhost -CAfile '" +
      ec().path("ca-ec.pem").string() + "' -connect 127.0.0.1:" + port + " >'" + output + "' 2>&1";
  std::atomic<bool> client_done = false;
  std::thread client([&] {
    (void)std::system(command.c_str());
    client_done = true;
  });

  auto accepted = accept_one(*listener);
  ASSERT_TRUE(accepted);
  auto flow = expect_ok(TlsFlow::server(*loop, ec_server(), std::move(accepted)), "server flow");
  Reader reader(*flow);
  reader.start();
  run_until([&] { return reader.received == "ping\n" || reader.finished(); });
  EXPECT_EQ(reader.received, "ping\n");
  EXPECT_EQ(flow->alpn(), "h2");
  EXPECT_EQ(flow->version(), TlsVersion::tls1_3);
  EXPECT_EQ(flow->server_name(), "localhost");
  flow->close();  // close_notify: s_client ends
  run_until([&] { return client_done.load(); });
  client.join();

  std::ifstream in(output);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("TLSv1.3"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("ALPN protocol: h2"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("Verify return code: 0 (ok)"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace paf::tls::test
