// RSA keys against pebble (pebble_fixture.h): an RS256 account and an RSA
// certificate key, as the issue allows besides ECDSA P-256.
#include "pebble_fixture.h"

namespace paf {
namespace {

using namespace paf::testing;

// An RSA 2048 account key (JWS RS256) and an RSA 3072 certificate key: a
// chain that openssl verifies, for an RSA 3072 key, which a paf TLS server
// takes with its PKCS#1 key.
TEST_F(AcmePebble, RsaAccountAndCertificateKeys) {
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  serve_http(responder.handler());
  auto account_key = jose::Key::generate_rsa(2048);
  auto certificate_key = jose::Key::generate_rsa(3072);
  ASSERT_TRUE(account_key && certificate_key);
  acme::Config with = config({"rsa.example.com"});
  with.account_key = *account_key;
  with.certificate_key = *certificate_key;
  auto outcome = provision(std::move(with));
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_TRUE(*outcome) << describe(*outcome) << "\nlog:\n" << log;
  EXPECT_TRUE((*outcome)->key_pem.view().starts_with("-----BEGIN RSA PRIVATE KEY-----"));

  ScratchDir files;
  std::ofstream(files.file("chain.pem")) << (*outcome)->chain_pem.view();
  std::ofstream(files.file("root.pem")) << pebble.root();
  expect_verified_for(files.file("chain.pem"), files.file("root.pem"), {"rsa.example.com"});
  std::string output;
  EXPECT_EQ(run("openssl x509 -in " + files.file("chain.pem") + " -noout -text", &output), 0);
  EXPECT_NE(output.find("rsaEncryption"), std::string::npos) << output;
  EXPECT_NE(output.find("Public-Key: (3072 bit)"), std::string::npos) << output;
  auto tls = TlsConfig::server((*outcome)->chain_pem.view(), (*outcome)->key_pem.view()).build();
  EXPECT_TRUE(tls) << tls.error().message;
}

}  // namespace
}  // namespace paf
