// TLS-ALPN-01 (RFC 8737) against pebble (pebble_fixture.h): pebble's tlsPort
// is the port of a paf HTTPS service, pebble-challtestsrv resolves every
// name to 127.0.0.1, and nothing listens on pebble's httpPort: only the
// handshake on the HTTPS port can validate.
#include "pebble_fixture.h"

namespace paf {
namespace {

using namespace paf::testing;

class AcmePebbleTlsAlpn : public AcmePebble {
 protected:
  void SetUp() override {
    AcmePebble::SetUp();
    auto listener = posix::TcpListener::listen(*backend, "127.0.0.1", 0);
    ASSERT_TRUE(listener);
    https_listener = std::move(*listener);
    pebble.tls_port = *https_listener->port();
  }

  void TearDown() override {
    stop_https.turn_off();
    AcmePebble::TearDown();
  }

  // The HTTPS service before any certificate: the validations only.
  void serve_validations() {
    auto tls = TlsConfig::server().handshake_answers(alpn_responder.answers()).build();
    ASSERT_TRUE(tls) << tls.error().message;
    serve(*loop,
          https_service(
              *tls, [](Reqd&) {}, default_error_reply),
          *https_listener, stop_https);
  }

  std::unique_ptr<posix::TcpListener> https_listener;
  Switch stop_https;
  acme::TlsAlpn01Responder alpn_responder;
};

// Two names by TLS-ALPN-01: a chain that openssl verifies against pebble's
// root, naming both; the validation certificates are taken back.
TEST_F(AcmePebbleTlsAlpn, CertificateForTwoNames) {
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  serve_validations();
  acme::Config with = config({"one.example.com", "two.example.com"});
  with.challenge = acme::Challenge::tls_alpn_01;
  with.tls_alpn01 = alpn_responder;
  auto outcome = provision(std::move(with));
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_TRUE(*outcome) << describe(*outcome) << "\nlog:\n" << log;
  EXPECT_EQ(alpn_responder.size(), 0u) << "the validation certificates are taken back";
  EXPECT_NE(log.find("tls-alpn-01 for one.example.com"), std::string::npos) << log;
  EXPECT_NE(log.find("tls-alpn-01 for two.example.com"), std::string::npos) << log;

  ScratchDir files;
  std::ofstream(files.file("chain.pem")) << (*outcome)->chain_pem.view();
  std::ofstream(files.file("root.pem")) << pebble.root();
  expect_verified_for(files.file("chain.pem"), files.file("root.pem"),
                      {"one.example.com", "two.example.com"});
}

// Asked for tls-alpn-01 with nothing on the HTTPS port: the authorization
// goes invalid, with pebble's reason (it could not connect).
TEST_F(AcmePebbleTlsAlpn, NoValidationServiceIsAClearError) {
  https_listener.reset();  // the port refuses connections
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  acme::Config with = config({"nobody.example.com"});
  with.challenge = acme::Challenge::tls_alpn_01;
  with.tls_alpn01 = alpn_responder;
  auto outcome = provision(std::move(with));
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().error.message, "ACME: an authorization is invalid");
  EXPECT_NE(outcome->error().detail.view().find("nobody.example.com is invalid"),
            std::string_view::npos)
      << outcome->error().describe().view();
  EXPECT_EQ(alpn_responder.size(), 0u);
  std::printf("%s\n", std::string(outcome->error().describe().view()).c_str());
}

// paf-server --acme-challenge tls-alpn-01: its HTTPS port answers the
// validations, then serves the certificate to curl over h2 and HTTP/1.1.
TEST(PafServerAcmeTlsAlpn, ObtainsACertificateOnTheHttpsPortAndServesIt) {
  Pebble pebble;
  const std::uint16_t https_port = free_port();
  pebble.tls_port = https_port;
  ASSERT_TRUE(pebble.start(free_port()));  // HTTP-01's port: nobody there
  Process server;
  ScratchDir files;
  const std::string log = files.file("paf-server.log");
  ASSERT_TRUE(
      server.start({PAF_SERVER_PATH, "--http", std::to_string(free_port()), "--https",
                    std::to_string(https_port), "--acme-directory", pebble.directory(),
                    "--acme-challenge", "tls-alpn-01", "--domain", "www.example.com", "--domain",
                    "example.com", "--acme-ca", pebble.dir.file("ca.pem"), "--access-log", "off"},
                   log));
  ASSERT_TRUE(wait_for_text(server, log, "serving https with the ACME certificate", 60))
      << read_file(log);
  EXPECT_NE(read_file(log).find("ACME: tls-alpn-01 for www.example.com"), std::string::npos)
      << read_file(log);
  std::ofstream(files.file("root.pem")) << pebble.root();
  for (const char* name : {"www.example.com", "example.com"})
    expect_hello_over_h2_and_http11(files.file("root.pem"), name, https_port);
}

}  // namespace
}  // namespace paf
