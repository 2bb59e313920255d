// paf::Client's TLS against nginx on loopback, with certificates made by the
// test (make-test-pki.sh): the server verified against a test CA; a wrong
// host name, an untrusted issuer and an expired certificate each fail their
// request alone with a TLS error that says why, and the client goes on. ALPN:
// h2 where nginx speaks HTTP/2, http/1.1 where it does not, as the response
// and nginx's $server_protocol tell.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>

#include "support.h"

namespace paf {
namespace {

using namespace paf::testing;

// nginx serving `/` on one TLS port per certificate: "good" twice (with
// HTTP/2 and without), "wrong-name", "untrusted", "expired".
struct TlsNginx {
  static constexpr const char* kProgram = "/usr/sbin/nginx";
  static constexpr const char* kPackage = "nginx-light";
  ScratchDir dir;
  Process process;
  std::map<std::string, std::uint16_t> ports;
  std::string ca, other_ca;

  bool start() {
    if (std::system(("'" PAF_TEST_PKI "' '" + dir.path.string() + "'").c_str()) != 0) return false;
    ca = read_file(dir.file("ca.pem"));
    other_ca = read_file(dir.file("other-ca.pem"));
    std::filesystem::create_directories(dir.path / "www");
    std::ofstream(dir.file("www/index.html")) << "hello over TLS\n";
    for (const char* path : {"", "www", "www/index.html"}) ::chmod(dir.file(path).c_str(), 0755);
    const std::vector<std::pair<std::string, std::string>> servers = {{"h2", "good"},
                                                                      {"h1", "good"},
                                                                      {"wrong-name", "wrong-name"},
                                                                      {"untrusted", "untrusted"},
                                                                      {"expired", "expired"}};
    for (int attempt = 0; attempt < 5; ++attempt) {
      std::ostringstream http;
      http << "  log_format tls '$server_port $server_protocol $ssl_protocol $request_uri "
              "$status';\n"
           << "  access_log " << dir.file("access.log") << " tls;\n"
           << "  ssl_protocols TLSv1.2 TLSv1.3;\n";  // nginx 1.22 leaves 1.3 out by default
      for (const auto& [name, certificate] : servers) {
        ports[name] = free_port();
        http << "  server { listen 127.0.0.1:" << ports[name] << " ssl"
             << (name == "h1" ? "" : " http2") << "; root " << dir.file("www") << ";\n"
             << "    ssl_certificate " << dir.file(certificate + ".pem") << ";\n"
             << "    ssl_certificate_key " << dir.file(certificate + ".key") << "; }\n";
      }
      start_nginx(process, dir, http.str());
      bool all = true;
      for (const auto& [name, port] : ports) all = all && wait_accepting(process, port);
      if (all) return true;
      process.stop();
    }
    return false;
  }

  std::vector<std::string> access_log() const { return read_lines(dir.file("access.log")); }
};

class TlsClient : public PeerTest<TlsNginx> {
 protected:
  void SetUp() override {
    PeerTest::SetUp();
    if (HasFatalFailure()) return;
    // The CA file, as an application reads it.
    auto tls = TlsConfig::client()
                   .trust_ca(read_file(peer->dir.file("ca.pem")))
                   .alpn({"h2", "http/1.1"})
                   .build();
    ASSERT_TRUE(tls) << tls.error().message;
    client = std::make_unique<Client>(*loop, host_connector(*backend, *loop, *tls));
    client->on_connection([this](const ConnectionInfo& info) {
      alpn.push_back(info.secure ? std::string(info.secure->alpn()) : "none");
      versions.push_back(info.version);
    });
  }

  Origin at(const std::string& server) const {
    return origin("https", "localhost", peer->ports.at(server));
  }

  // GETs `/` from each server at once; returns what each saw.
  std::vector<Seen> get(const std::vector<std::string>& servers) {
    std::vector<Seen> seen(servers.size());
    for (std::size_t i = 0; i < servers.size(); ++i)
      EXPECT_TRUE(client->request(at(servers[i]), Request(Method::GET, "/"), record(&seen[i])));
    EXPECT_TRUE(run_until(*loop, [&] {
      return std::all_of(seen.begin(), seen.end(), [](const Seen& s) { return s.done(); });
    }));
    return seen;
  }

  static void expect_answered(const Seen& seen) {
    ASSERT_FALSE(seen.error) << seen.error->message;
    EXPECT_EQ(seen.status, 200);
    EXPECT_EQ(seen.body, "hello over TLS\n");
  }

  // A request to `bad` fails with a TLS error saying `why`, while one to the
  // good server at the same time is answered, and so is the next one.
  void expect_refused(const std::string& bad, std::string_view why) {
    std::vector<Seen> seen = get({bad, "h2"});
    ASSERT_TRUE(seen[0].error) << "the " << bad << " certificate was accepted";
    EXPECT_EQ(seen[0].error->code, Errc::tls_error) << seen[0].error->message;
    EXPECT_NE(seen[0].error->message.find(why), std::string_view::npos) << seen[0].error->message;
    expect_answered(seen[1]);
    expect_answered(get({"h2"})[0]);
    // It fails again: a refused connection is not pooled.
    std::vector<Seen> again = get({bad});
    ASSERT_TRUE(again[0].error);
    EXPECT_EQ(again[0].error->code, Errc::tls_error);
  }

  std::vector<std::string> alpn;
  std::vector<HttpVersion> versions;  // what each connection speaks, alpn's order
};

TEST_F(TlsClient, TheTestPkiIsAsMeant) {
  // openssl's own verdicts against the test CA (a wrong name is not its concern).
  EXPECT_EQ(read_file(peer->dir.file("verify.txt")),
            "good: verifies\nwrong-name: verifies\nuntrusted: fails\nexpired: fails\n");
}

TEST_F(TlsClient, AServerSignedByTheTrustedCaIsVerified) {
  expect_answered(get({"h2"})[0]);
  EXPECT_EQ(alpn, std::vector<std::string>{"h2"});
}

TEST_F(TlsClient, AWrongHostNameFailsThatRequestOnly) {
  expect_refused("wrong-name", "does not name the host");
}

TEST_F(TlsClient, AnUntrustedIssuerFailsThatRequestOnly) {
  expect_refused("untrusted", "not issued by a trusted CA");
}

TEST_F(TlsClient, AnExpiredCertificateFailsThatRequestOnly) {
  expect_refused("expired", "outside its validity dates");
}

TEST_F(TlsClient, TrustingTheOtherCaAcceptsItsServerAndRefusesOurs) {
  auto tls = TlsConfig::client().trust_ca(peer->other_ca).build();
  ASSERT_TRUE(tls) << tls.error().message;
  client = std::make_unique<Client>(*loop, host_connector(*backend, *loop, *tls));
  std::vector<Seen> seen = get({"untrusted", "h2"});
  expect_answered(seen[0]);
  ASSERT_TRUE(seen[1].error);
  EXPECT_EQ(seen[1].error->code, Errc::tls_error);
}

TEST_F(TlsClient, AlpnChoosesH2WhereNginxSpeaksItAndHttp11WhereNot) {
  std::vector<Seen> seen = get({"h2", "h1"});
  expect_answered(seen[0]);
  expect_answered(seen[1]);
  EXPECT_EQ(alpn.size(), 2u);
  ASSERT_EQ(versions.size(), 2u);
  for (std::size_t i = 0; i < alpn.size(); ++i)
    EXPECT_EQ(versions[i], alpn[i] == "h2" ? HttpVersion::http_2 : HttpVersion::http_1_1);
  EXPECT_EQ(std::set<std::string>(alpn.begin(), alpn.end()),
            (std::set<std::string>{"h2", "http/1.1"}));
  std::vector<std::string> lines = logged(2);
  ASSERT_EQ(lines.size(), 2u);
  std::set<std::string> expected = {
      std::to_string(peer->ports.at("h2")) + " HTTP/2.0 TLSv1.3 / 200",
      std::to_string(peer->ports.at("h1")) + " HTTP/1.1 TLSv1.3 / 200"};
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()), expected);
}

}  // namespace
}  // namespace paf
