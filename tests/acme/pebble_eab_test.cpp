// External Account Binding (RFC 8555 §7.3.4) against pebble
// (pebble_fixture.h) with externalAccountBindingRequired and one MAC key.
#include "pebble_fixture.h"

namespace paf {
namespace {

using namespace paf::testing;

constexpr std::string_view kKeyId = "kid-paf";
// 48 bytes, base64url, as a CA hands an HMAC key out.
constexpr std::string_view kHmacKey =
    "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

class AcmePebbleEab : public AcmePebble {
 protected:
  void start() {
    pebble.eab_keys = {{std::string(kKeyId), std::string(kHmacKey)}};
    ASSERT_TRUE(pebble.start(http_port));
    make_client(pebble.test_ca_pem);
    serve_http(responder.handler());
  }

  // A certificate for eab.example.com, bound to the account under `hmac_key`.
  std::optional<acme::Outcome> provision_bound(std::string_view hmac_key) {
    acme::Config with = config({"eab.example.com"});
    with.eab_key_id = Buffer(kKeyId);
    with.eab_hmac_key = Buffer(hmac_key);
    return provision(std::move(with));
  }
};

TEST_F(AcmePebbleEab, WithoutABindingTheFailureSaysTheCaRequiresOne) {
  start();
  auto outcome = provision(config({"eab.example.com"}));
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_FALSE(*outcome);
  const acme::Failure& failure = outcome->error();
  EXPECT_EQ(failure.error.code, Errc::protocol_error);
  EXPECT_EQ(failure.type.view(), "urn:ietf:params:acme:error:externalAccountRequired");
  const std::string described(failure.describe().view());
  EXPECT_NE(described.find("requires External Account Binding"), std::string::npos) << described;
  EXPECT_NE(described.find("externalAccountRequired"), std::string::npos) << described;
  std::printf("%s\n", described.c_str());
}

TEST_F(AcmePebbleEab, WithTheBindingACertificate) {
  start();
  auto outcome = provision_bound(kHmacKey);
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_TRUE(*outcome) << describe(*outcome) << "\nlog:\n" << log;
  EXPECT_NE((*outcome)->chain_pem.view().find("-----BEGIN CERTIFICATE-----"),
            std::string_view::npos);
}

// A binding under another key: pebble refuses its signature.
TEST_F(AcmePebbleEab, AWrongHmacKeyIsRefused) {
  start();
  auto outcome = provision_bound("c2VjcmV0LWJ1dC1ub3QtdGhlLXJpZ2h0LW9uZQ");
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().error.message, "ACME: creating the account failed")
      << outcome->error().describe().view();
  std::printf("%s\n", std::string(outcome->error().describe().view()).c_str());
}

// A key that is not base64url: said before anything is sent.
TEST_F(AcmePebbleEab, AKeyThatIsNotBase64urlIsRefusedAtOnce) {
  start();
  auto outcome = provision_bound("not base64url!");
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().error.code, Errc::invalid_argument);
  EXPECT_EQ(outcome->error().error.message, "ACME: the EAB HMAC key is not base64url");
}

// paf-server --acme-eab-kid/--acme-eab-hmac-key: the certificate comes, and
// is served to curl over h2 and HTTP/1.1.
TEST(PafServerAcmeEab, ObtainsACertificateWithTheBinding) {
  Pebble pebble;
  pebble.eab_keys = {{std::string(kKeyId), std::string(kHmacKey)}};
  const std::uint16_t http_port = free_port(), https_port = free_port();
  ASSERT_TRUE(pebble.start(http_port));
  Process server;
  ScratchDir files;
  const std::string log = files.file("paf-server.log");
  ASSERT_TRUE(server.start(
      {PAF_SERVER_PATH, "--http", std::to_string(http_port), "--https", std::to_string(https_port),
       "--acme-directory", pebble.directory(), "--acme-eab-kid", std::string(kKeyId),
       "--acme-eab-hmac-key", std::string(kHmacKey), "--domain", "eab.example.com", "--acme-ca",
       pebble.dir.file("ca.pem"), "--access-log", "off"},
      log));
  ASSERT_TRUE(wait_for_text(server, log, "serving https with the ACME certificate", 60))
      << read_file(log);
  std::ofstream(files.file("root.pem")) << pebble.root();
  expect_hello_over_h2_and_http11(files.file("root.pem"), "eab.example.com", https_port);
}

}  // namespace
}  // namespace paf
