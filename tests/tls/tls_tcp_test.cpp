// TlsFlow over real TCP on loopback, against real peers: openssl s_client
// against a paf server (versions, ALPN, SNI, resumption as both sides see
// it), and paf's client against openssl s_server (verification, ALPN,
// versions, resumption by ticket and by session ID). Every openssl process
// is stopped by its PID; every wait is bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "paf/posix/socket_flow.h"
#include "paf/posix/socket_listener.h"
#include "paf/tls.h"
#include "support/socket_test_support.h"
#include "tls_test_support.h"

namespace paf::tls::test {
namespace {

using posix::test::bytes_of;
using posix::test::LoopTest;
using posix::test::Reader;

bool have_openssl() { return std::system("command -v openssl >/dev/null") == 0; }

class TlsTcpTest : public LoopTest {
 protected:
  std::filesystem::path write_file(const std::string& name, const std::string& text) {
    std::filesystem::path file = directory / name;
    std::ofstream(file) << text;
    return file;
  }

  // What a paf server saw of one s_client connection, and what s_client said.
  struct Served {
    std::string received;  // by the paf server
    bool resumed = false;
    TlsVersion version = TlsVersion::tls1_3;
    std::string alpn, server_name;
    std::string client_output;  // s_client's
  };

  // Runs `openssl s_client FLAGS` against a paf server with `config` on a
  // fresh listener: s_client sends "ping\n", the server reads it and closes.
  Served serve_s_client(const TlsConfig& config, const std::vector<std::string>& flags) {
    Served served;
    auto listener = expect_ok(posix::TcpListener::listen(*backend, "127.0.0.1", 0), "listen");
    std::vector<std::string> command = {"openssl",
                                        "s_client",
                                        "-ign_eof",
                                        "-servername",
                                        "localhost",
                                        "-CAfile",
                                        ec().path("ca-ec.pem").string(),
                                        "-connect",
                                        "127.0.0.1:" + std::to_string(*listener->port())};
    command.insert(command.end(), flags.begin(), flags.end());
    ChildProcess client(command, write_file("ping", "ping\n"), directory / "s_client.out");
    EXPECT_TRUE(client.started());

    auto accepted = accept_one(*listener);
    if (!accepted) {
      ADD_FAILURE() << "s_client did not connect: " << client.output();
      return served;
    }
    auto flow = expect_ok(TlsFlow::server(*loop, config, std::move(accepted)), "server flow");
    Reader reader(*flow);
    reader.start();
    run_until([&] { return reader.received == "ping\n" || reader.finished(); });
    served = {reader.received,
              flow->resumed(),
              flow->version(),
              std::string(flow->alpn()),
              std::string(flow->server_name()),
              ""};
    flow->close();  // close_notify: s_client ends
    EXPECT_TRUE(run_until([&] { return client.exited(); })) << "s_client still runs";
    client.stop();
    served.client_output = client.output();
    return served;
  }
};

TEST_F(TlsTcpTest, OpensslClientNegotiatesTls13AndH2) {
  if (!have_openssl()) GTEST_SKIP() << "no openssl CLI";
  Served served = serve_s_client(ec_server(), {"-alpn", "h2"});
  EXPECT_EQ(served.received, "ping\n");
  EXPECT_EQ(served.alpn, "h2");
  EXPECT_EQ(served.version, TlsVersion::tls1_3);
  EXPECT_EQ(served.server_name, "localhost");
  const std::string& text = served.client_output;
  EXPECT_NE(text.find("TLSv1.3"), std::string::npos) << text;
  EXPECT_NE(text.find("ALPN protocol: h2"), std::string::npos) << text;
  EXPECT_NE(text.find("Verify return code: 0 (ok)"), std::string::npos) << text;
}

// s_client -sess_out, then -sess_in: both ends agree the second connection
// resumed ("Reused" on s_client's side, resumed() on paf's).
TEST_F(TlsTcpTest, OpensslClientResumesWithATicketAndTheServerKnows) {
  if (!have_openssl()) GTEST_SKIP() << "no openssl CLI";
  auto server = ec_server();
  for (std::string version : {"-tls1_3", "-tls1_2"}) {
    SCOPED_TRACE(version);
    std::string session = (directory / ("session" + version)).string();
    Served first = serve_s_client(server, {version, "-sess_out", session});
    EXPECT_EQ(first.received, "ping\n");
    EXPECT_FALSE(first.resumed);
    EXPECT_NE(first.client_output.find("New, TLSv1."), std::string::npos) << first.client_output;

    Served second = serve_s_client(server, {version, "-sess_in", session});
    EXPECT_EQ(second.received, "ping\n");
    EXPECT_TRUE(second.resumed);
    EXPECT_NE(second.client_output.find("Reused, TLSv1."), std::string::npos)
        << second.client_output;
    EXPECT_EQ(second.version, version == "-tls1_3" ? TlsVersion::tls1_3 : TlsVersion::tls1_2);
  }
}

// A TLS 1.2 client that takes no ticket resumes by session ID, from the
// server's session cache; without the cache, it cannot.
TEST_F(TlsTcpTest, OpensslClientWithoutTicketsResumesFromTheSessionCache) {
  if (!have_openssl()) GTEST_SKIP() << "no openssl CLI";
  auto cached = ec_server();
  auto uncached = expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                                .session_cache(0, 0)
                                .build(),
                            "server");
  for (bool cache : {true, false}) {
    SCOPED_TRACE(cache ? "with the cache" : "without a cache");
    const TlsConfig& server = cache ? cached : uncached;
    std::string session = (directory / (cache ? "cached" : "uncached")).string();
    Served first = serve_s_client(server, {"-tls1_2", "-no_ticket", "-sess_out", session});
    EXPECT_EQ(first.received, "ping\n");
    EXPECT_FALSE(first.resumed);
    EXPECT_NE(first.client_output.find("New, TLSv1.2"), std::string::npos) << first.client_output;

    Served second = serve_s_client(server, {"-tls1_2", "-no_ticket", "-sess_in", session});
    EXPECT_EQ(second.received, "ping\n");
    EXPECT_EQ(second.resumed, cache);
    EXPECT_NE(second.client_output.find(cache ? "Reused, TLSv1.2" : "New, TLSv1.2"),
              std::string::npos)
        << second.client_output;
  }
}

// --- paf's client against openssl s_server -----------------------------------

class TlsClientTest : public TlsTcpTest {
 protected:
  // openssl s_server with the localhost certificate on a port of 127.0.0.1
  // it picks itself, answering each line reversed (-rev); false if it did not
  // come up within 10 s.
  bool start_s_server(const std::vector<std::string>& flags) {
    std::vector<std::string> command = {"openssl", "s_server",
                                        "-accept", "127.0.0.1:0",
                                        "-cert",   ec().path("localhost-ec.pem").string(),
                                        "-key",    ec().path("localhost-ec.key").string(),
                                        "-rev"};
    command.insert(command.end(), flags.begin(), flags.end());
    server_ = std::make_unique<ChildProcess>(command, "/dev/null", directory / "s_server.out");
    constexpr std::string_view kAcceptLine = "ACCEPT 127.0.0.1:";  // then the port
    for (int attempt = 0; attempt < 500 && server_->started() && !server_->exited(); ++attempt) {
      std::string output = server_->output();
      if (auto at = output.find(kAcceptLine);
          at != std::string::npos && output.find('\n', at) != std::string::npos) {
        port_ = static_cast<std::uint16_t>(std::stoi(output.substr(at + kAcceptLine.size())));
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "s_server did not start: " << server_->output();
    return false;
  }
  void TearDown() override {
    if (server_) server_->stop();
    TlsTcpTest::TearDown();
  }

  // One connection of a paf client: the flow, and what it read back.
  struct Talk {
    std::unique_ptr<TlsFlow> flow;
    std::unique_ptr<Reader> reader;
    std::optional<Error> error;  // the handshake's
  };

  // Connects to s_server as `host`, handshakes, sends a line and waits for
  // it to come back reversed.
  Talk talk(const TlsConfig& config, std::string_view host, TlsSession resume = {}) {
    Talk talk;
    auto socket = expect_ok(posix::connect_tcp(*backend, "127.0.0.1", port_), "connect");
    talk.flow =
        expect_ok(TlsFlow::client(*loop, config, std::move(socket), host, resume), "client flow");
    Handshaker handshaker(*talk.flow);
    handshaker.start();
    EXPECT_TRUE(run_until([&] { return handshaker.finished(); })) << "the handshake hangs";
    if (!handshaker.done) {
      talk.error = handshaker.error;
      return talk;
    }
    EXPECT_TRUE(talk.flow->write(bytes_of("hello paf\n")));
    talk.reader = std::make_unique<Reader>(*talk.flow);
    talk.reader->start();
    EXPECT_TRUE(run_until([&] {
      return talk.reader->received.find("fap olleh") != std::string::npos ||
             talk.reader->finished();
    })) << talk.reader->received;
    return talk;
  }

  std::unique_ptr<ChildProcess> server_;
  std::uint16_t port_ = 0;
};

TEST_F(TlsClientTest, VerifiesAnOpensslServerAndTakesItsAlpnAnswerInBothVersions) {
  if (!have_openssl()) GTEST_SKIP() << "no openssl CLI";
  ASSERT_TRUE(start_s_server({"-alpn", "h2,http/1.1"}));
  for (TlsVersion version : {TlsVersion::tls1_3, TlsVersion::tls1_2}) {
    SCOPED_TRACE(version == TlsVersion::tls1_3 ? "TLS 1.3" : "TLS 1.2");
    struct Offer {
      std::vector<std::string_view> protocols;
      std::string_view chosen;
    };
    for (const Offer& offer :
         {Offer{{"h2", "http/1.1"}, "h2"}, Offer{{"http/1.1"}, "http/1.1"}, Offer{{}, ""}}) {
      auto config =
          expect_ok(ec_client().versions(version, version).alpn(offer.protocols).build(), "client");
      Talk talk = this->talk(config, "localhost");
      ASSERT_FALSE(talk.error) << talk.error->message;
      EXPECT_EQ(talk.flow->version(), version);
      EXPECT_EQ(talk.flow->alpn(), offer.chosen);
      EXPECT_NE(talk.reader->received.find("fap olleh"), std::string::npos);
    }
    // No protocol in common: OpenSSL refuses (RFC 7301's no_application_protocol).
    Talk refused =
        talk(expect_ok(ec_client().versions(version, version).alpn({"spdy/3"}).build(), "client"),
             "localhost");
    ASSERT_TRUE(refused.error);
    EXPECT_EQ(refused.error->code, Errc::tls_error);
  }
}

TEST_F(TlsClientTest, RefusesAnOpensslServerNotNamingTheHostOrNotTrusted) {
  if (!have_openssl()) GTEST_SKIP() << "no openssl CLI";
  ASSERT_TRUE(start_s_server({}));
  Talk wrong_host = talk(expect_ok(ec_client().build(), "client"), "wrong.test");
  ASSERT_TRUE(wrong_host.error);
  EXPECT_EQ(wrong_host.error->code, Errc::tls_error);
  EXPECT_EQ(wrong_host.error->message, "TLS: the server's certificate does not name the host");

  Talk untrusted = talk(
      expect_ok(TlsConfig::client().trust_ca(ec().pem("other-ca")).build(), "client"), "localhost");
  ASSERT_TRUE(untrusted.error);
  EXPECT_EQ(untrusted.error->message,
            "TLS: the server's certificate is not issued by a trusted CA");

  // And the server still serves a client that trusts it.
  Talk fine = talk(expect_ok(ec_client().build(), "client"), "localhost");
  EXPECT_FALSE(fine.error);
}

TEST_F(TlsClientTest, ResumesWithAnOpensslServerByTicketOrSessionId) {
  if (!have_openssl()) GTEST_SKIP() << "no openssl CLI";
  struct Case {
    const char* name;
    TlsVersion version;
    std::vector<std::string> server_flags;
  };
  for (const Case& c : {Case{"TLS 1.3, ticket", TlsVersion::tls1_3, {}},
                        Case{"TLS 1.2, ticket", TlsVersion::tls1_2, {}},
                        Case{"TLS 1.2, session ID", TlsVersion::tls1_2, {"-no_ticket"}}}) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(start_s_server(c.server_flags));
    auto config = expect_ok(ec_client().versions(c.version, c.version).build(), "client");
    Talk first = talk(config, "localhost");
    ASSERT_FALSE(first.error) << first.error->message;
    EXPECT_FALSE(first.flow->resumed());
    TlsSession session = first.flow->session();
    ASSERT_TRUE(session) << "a TLS 1.3 ticket arrives before the reply it precedes";
    first.flow->close();

    Talk second = talk(config, "localhost", session);
    ASSERT_FALSE(second.error) << second.error->message;
    EXPECT_TRUE(second.flow->resumed());
    EXPECT_EQ(second.flow->version(), c.version);
    EXPECT_NE(second.reader->received.find("fap olleh"), std::string::npos);
    second.flow->close();
    server_->stop();
  }
}

}  // namespace
}  // namespace paf::tls::test
