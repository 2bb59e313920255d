// TLS-ALPN-01 at the TLS level (RFC 8737): a paf HTTPS service whose config
// carries a TlsAlpn01Responder's answers, seen by openssl s_client. The
// validation certificate goes only to a client offering acme-tls/1 alone
// with a name in flight as SNI, which then gets no HTTP; a client offering
// h2 gets the service's own certificate and HTTP as before.
#include "pebble_fixture.h"  // run(), and the client tests' support

namespace paf {
namespace {

using namespace paf::testing;

constexpr std::string_view kKeyAuthorization = "token-1.thumbprint-1";

class TlsAlpn01 : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = posix::EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
    ASSERT_TRUE(make_certificate(files));  // the service's own: CN=localhost
    auto tls =
        TlsConfig::server(read_file(files.file("cert.pem")), read_file(files.file("key.pem")))
            .handshake_answers(responder.answers())
            .build();
    ASSERT_TRUE(tls) << tls.error().message;
    auto listener = posix::TcpListener::listen(*backend, "127.0.0.1", 0);
    ASSERT_TRUE(listener);
    https = std::move(*listener);
    port = *https->port();
    ServeOptions options;
    options.on_refused = [this](std::string_view, const Error& error) {
      refusals.emplace_back(error.message);
    };
    serve(*loop,
          https_service(
              *tls,
              [this](Reqd& reqd) {
                ++requests;
                (void)reqd.respond_with_string({200, {}}, "served\n");
              },
              default_error_reply),
          *https, stop, std::move(options));
  }

  void TearDown() override {
    stop.turn_off();
    if (loop)
      run_until(
          *loop, [] { return false; }, 0.2);
  }

  // openssl s_client to the service offering `alpn` with `name` as SNI; it
  // sends a request once connected and reads until the server closes (or 10
  // s). Its output, then the certificate it got as asn1parse shows it.
  std::string s_client(const std::string& alpn, const std::string& name) {
    const std::string out = files.file("s_client.out"), cert = files.file("served.pem");
    std::filesystem::remove(cert);
    const std::string command =
        "printf 'GET / HTTP/1.1\\r\\nHost: " + name +
        "\\r\\nConnection: close\\r\\n\\r\\n' | timeout 10 openssl s_client "
        "-connect 127.0.0.1:" +
        std::to_string(port) + " -servername " + name + " -alpn " + alpn + " -ign_eof > " + out +
        " 2>&1; openssl x509 -in " + out + " -out " + cert + " && openssl asn1parse -in " + cert;
    Process client;
    EXPECT_TRUE(client.start({"/bin/sh", "-c", command}, files.file("asn1.out")));
    EXPECT_TRUE(run_until(
        *loop, [&] { return !client.running(); }, 20));
    return read_file(out) + "\n--- asn1parse ---\n" + read_file(files.file("asn1.out"));
  }

  std::unique_ptr<posix::EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<posix::TcpListener> https;
  std::uint16_t port = 0;
  Switch stop;
  ScratchDir files;
  acme::TlsAlpn01Responder responder;
  std::vector<std::string> refusals;
  int requests = 0;
};

// SHA-256 of the key authorization in asn1parse's hex, as the extension
// must hold it: OCTET STRING (04), 32 bytes (20), the digest.
std::string expected_extension_value() {
  std::string digest;
  EXPECT_EQ(run("printf %s '" + std::string(kKeyAuthorization) +
                    "' | openssl dgst -sha256 -r | cut -c1-64 | tr a-f A-F",
                &digest),
            0);
  return "0420" + digest.substr(0, 64);
}

TEST_F(TlsAlpn01, AcmeTls1WithANameInFlightGetsTheValidationCertificateAndNoHttp) {
  ASSERT_TRUE(responder.add("one.example.com", kKeyAuthorization));
  const std::string seen = s_client("acme-tls/1", "one.example.com");
  EXPECT_NE(seen.find("ALPN protocol: acme-tls/1"), std::string::npos) << seen;
  EXPECT_NE(seen.find("1.3.6.1.5.5.7.1.31"), std::string::npos) << seen;
  const std::size_t extension = seen.find("1.3.6.1.5.5.7.1.31");
  ASSERT_NE(extension, std::string::npos);
  // critical (BOOLEAN 255), then the digest
  EXPECT_NE(seen.find("BOOLEAN           :255", extension), std::string::npos) << seen;
  EXPECT_NE(seen.find("[HEX DUMP]:" + expected_extension_value(), extension), std::string::npos)
      << seen;
  EXPECT_NE(seen.find(":one.example.com"), std::string::npos) << "its CN\n" << seen;
  EXPECT_EQ(seen.find("HTTP/1.1"), std::string::npos) << "no HTTP after the handshake\n" << seen;
  EXPECT_EQ(requests, 0);
  EXPECT_TRUE(refusals.empty()) << "a handshake-only exchange is no refusal: " << refusals[0];

  // A name in flight differs only in case: the same answer.
  EXPECT_NE(s_client("acme-tls/1", "ONE.example.com").find("1.3.6.1.5.5.7.1.31"),
            std::string::npos);
}

TEST_F(TlsAlpn01, AcmeTls1WithoutANameInFlightIsRefused) {
  ASSERT_TRUE(responder.add("one.example.com", kKeyAuthorization));
  std::string seen = s_client("acme-tls/1", "two.example.com");
  EXPECT_EQ(seen.find("1.3.6.1.5.5.7.1.31"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("BEGIN CERTIFICATE"), std::string::npos) << seen;
  responder.remove("one.example.com");
  EXPECT_EQ(responder.size(), 0u);
  seen = s_client("acme-tls/1", "one.example.com");
  EXPECT_EQ(seen.find("BEGIN CERTIFICATE"), std::string::npos) << "taken back\n" << seen;
  EXPECT_EQ(requests, 0);
}

TEST_F(TlsAlpn01, ClientsOfferingH2OrHttp11GetTheOwnCertificateAndHttp) {
  ASSERT_TRUE(responder.add("one.example.com", kKeyAuthorization));
  for (const std::string alpn : {"h2,acme-tls/1", "http/1.1,acme-tls/1", "http/1.1"}) {
    const std::string seen = s_client(alpn, "one.example.com");
    EXPECT_EQ(seen.find("ALPN protocol: acme-tls/1"), std::string::npos) << alpn << "\n" << seen;
    EXPECT_EQ(seen.find("1.3.6.1.5.5.7.1.31"), std::string::npos) << alpn << "\n" << seen;
    EXPECT_NE(seen.find(":localhost"), std::string::npos) << alpn << "\n" << seen;
    if (alpn.starts_with("http/1.1")) {
      EXPECT_NE(seen.find("HTTP/1.1 200"), std::string::npos) << alpn << "\n" << seen;
    }
  }
  // And curl, over both versions, gets its answer (the certificate is for localhost).
  for (const char* version : {"--http2", "--http1.1"}) {
    Process curl;
    const std::string command = std::string("curl -sS --max-time 10 -k ") + version +
                                " -w ' %{http_version}' https://localhost:" + std::to_string(port) +
                                "/";
    ASSERT_TRUE(curl.start({"/bin/sh", "-c", command}, files.file("curl.out")));
    ASSERT_TRUE(run_until(
        *loop, [&] { return !curl.running(); }, 20));
    EXPECT_EQ(read_file(files.file("curl.out")),
              std::string("served\n ") + (std::string_view(version) == "--http2" ? "2" : "1.1"));
  }
}

}  // namespace
}  // namespace paf

namespace paf {
namespace {

// The hook's own checks: a server's only, its protocol not also an ordinary
// one, and its certificates parsed (and matched to their keys) when added.
TEST(TlsHandshakeAnswers, AreCheckedWhenBuiltAndAdded) {
  acme::TlsAlpn01Responder responder;
  auto client = TlsConfig::client().insecure_for_tests().handshake_answers(responder.answers());
  EXPECT_EQ(client.build().error().code, Errc::invalid_argument);
  auto twice =
      TlsConfig::server().alpn({"h2", "acme-tls/1"}).handshake_answers(responder.answers()).build();
  EXPECT_EQ(twice.error().code, Errc::invalid_argument);
  EXPECT_TRUE(TlsConfig::server().handshake_answers(responder.answers()).build());

  TlsHandshakeAnswers answers("acme-tls/1");
  EXPECT_FALSE(answers.add("one.example.com", "not PEM", "not PEM either"));
  auto key = jose::EcKey::generate();
  auto other_key = jose::EcKey::generate();
  ASSERT_TRUE(key && other_key);
  auto certificate = acme::tls_alpn01_certificate(*key, "one.example.com", "token.thumbprint");
  ASSERT_TRUE(certificate) << certificate.error().message;
  EXPECT_FALSE(answers.add("one.example.com", certificate->view(), other_key->to_pem()->view()));
  EXPECT_EQ(answers.size(), 0u);
  EXPECT_TRUE(answers.add("one.example.com", certificate->view(), key->to_pem()->view()));
  EXPECT_TRUE(answers.add("ONE.example.com", certificate->view(), key->to_pem()->view()));
  EXPECT_EQ(answers.size(), 1u) << "the same name, whatever its case, is replaced";
}

}  // namespace
}  // namespace paf
