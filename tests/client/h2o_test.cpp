// paf::Client against h2o on loopback: HTTP/2 over TLS (ALPN h2) and h2c by
// prior knowledge, a small and a 10 MiB file checked byte for byte over each,
// and a hundred concurrent requests on one HTTP/2 connection, counted from
// both sides (the client's connections, h2o's connection-id in its access log).
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <random>
#include <set>

#include "support.h"

namespace paf {
namespace {

using namespace paf::testing;

// h2o, from a config in a scratch folder: its pid file, error and access logs
// there, as the user running the test (h2o started by root would become
// nobody, who may not write there); stopped by its PID.
struct H2o {
  static constexpr const char* kProgram = "/usr/bin/h2o";
  static constexpr const char* kPackage = "h2o";
  ScratchDir dir;
  Process process;
  std::uint16_t http_port = 0, https_port = 0;
  std::string certificate, small = "hello from h2o\n", large;

  bool start() {
    if (!make_certificate(dir)) return false;
    certificate = read_file(dir.file("cert.pem"));
    std::filesystem::create_directories(dir.path / "www");
    std::ofstream(dir.file("www/index.html")) << small;
    std::mt19937 generator(7);
    large.resize(10 * 1024 * 1024);
    for (char& byte : large) byte = static_cast<char>(generator());
    std::ofstream(dir.file("www/large"), std::ios::binary) << large;
    const passwd* user = ::getpwuid(::getuid());
    if (user == nullptr) return false;
    for (int attempt = 0; attempt < 5; ++attempt) {
      http_port = free_port();
      https_port = free_port();
      std::ofstream(dir.file("h2o.conf"))
          << "user: " << user->pw_name << "\n"
          << "pid-file: " << dir.file("h2o.pid") << "\n"
          << "error-log: " << dir.file("error.log") << "\n"
          << "num-threads: 1\n"
          << "access-log:\n"
          << "  path: " << dir.file("access.log") << "\n"
          << "  format: \"%{connection-id}x %H %U %s\"\n"
          << "listen:\n  host: 127.0.0.1\n  port: " << http_port << "\n"
          << "listen:\n  host: 127.0.0.1\n  port: " << https_port << "\n"
          << "  ssl:\n"
          << "    certificate-file: " << dir.file("cert.pem") << "\n"
          << "    key-file: " << dir.file("key.pem") << "\n"
          << "    ocsp-update-interval: 0\n"
          << "hosts:\n  default:\n    paths:\n      /:\n"
          << "        file.dir: " << dir.file("www") << "\n";
      process.start({"/usr/bin/h2o", "-c", dir.file("h2o.conf")}, dir.file("h2o.out"));
      if (wait_accepting(process, http_port) && wait_accepting(process, https_port)) return true;
      process.stop();
    }
    return false;
  }

  // The access log's lines so far, as "connection-id protocol path status".
  std::vector<std::string> access_log() const { return read_lines(dir.file("access.log")); }
};

class H2oClient : public PeerTest<H2o> {
 protected:
  // A client that offers h2 then http/1.1 over TLS, trusting h2o's
  // certificate; cleartext origins by prior knowledge when `h2c`.
  void make_client(bool h2c) {
    auto tls =
        TlsConfig::client().trust_certificate(peer->certificate).alpn({"h2", "http/1.1"}).build();
    ASSERT_TRUE(tls) << tls.error().message;
    ClientConfig config;
    config.h2_prior_knowledge = h2c;
    client = std::make_unique<Client>(*loop, host_connector(*backend, *loop, *tls), config);
    client->on_connection([this](const ConnectionInfo& info) {
      protocols.push_back(info.version);
      alpn.push_back(info.secure ? std::string(info.secure->alpn()) : "");
    });
  }

  // GETs `/` and `/large` on `origin` at once; both must arrive whole.
  void get_small_and_large(const Origin& origin) {
    Seen small, large;
    ASSERT_TRUE(client->request(origin, Request(Method::GET, "/"), record(&small)));
    ASSERT_TRUE(client->request(origin, Request(Method::GET, "/large"), record(&large)));
    ASSERT_TRUE(run_until(
        *loop, [&] { return small.done() && large.done(); }, 60));
    ASSERT_FALSE(small.error) << small.error->message;
    ASSERT_FALSE(large.error) << large.error->message;
    EXPECT_EQ(small.status, 200);
    EXPECT_EQ(small.body, peer->small);
    EXPECT_EQ(large.status, 200);
    EXPECT_EQ(large.body.size(), peer->large.size());
    EXPECT_TRUE(large.body == peer->large);
    EXPECT_EQ(client->connection_count(), 1u);
    EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_2});
    std::vector<std::string> lines = logged(2);
    ASSERT_EQ(lines.size(), 2u);
    for (const std::string& line : lines)
      EXPECT_NE(line.find(" HTTP/2 "), std::string::npos) << line;
  }

  Origin http() const { return origin("http", "127.0.0.1", peer->http_port); }
  Origin https() const { return origin("https", "localhost", peer->https_port); }

  std::vector<HttpVersion> protocols;
  std::vector<std::string> alpn;
};

TEST_F(H2oClient, OverTlsAlpnChoosesH2AndFilesArriveByteForByte) {
  make_client(false);
  get_small_and_large(https());
  EXPECT_EQ(alpn, std::vector<std::string>{"h2"});
}

TEST_F(H2oClient, H2cByPriorKnowledgeAndFilesArriveByteForByte) {
  make_client(true);
  get_small_and_large(http());
  EXPECT_EQ(alpn, std::vector<std::string>{""});
}

// h2o takes 100 streams at once (http2-max-concurrent-requests-per-connection).
TEST_F(H2oClient, HundredConcurrentGetsShareOneH2Connection) {
  make_client(false);
  std::vector<Seen> seen(100);
  for (Seen& one : seen)
    ASSERT_TRUE(client->request(https(), Request(Method::GET, "/"), record(&one)));
  ASSERT_TRUE(run_until(
      *loop,
      [&] { return std::all_of(seen.begin(), seen.end(), [](const Seen& s) { return s.done(); }); },
      30));
  for (const Seen& one : seen) {
    ASSERT_FALSE(one.error) << one.error->message << " " << one.error->detail;
    ASSERT_EQ(one.body, peer->small);
  }
  EXPECT_EQ(client->connection_count(), 1u);
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_2});
  std::vector<std::string> lines = logged(100);
  ASSERT_EQ(lines.size(), 100u);
  std::set<std::string> connections;
  for (const std::string& line : lines) {
    connections.insert(line.substr(0, line.find(' ')));
    EXPECT_NE(line.find(" HTTP/2 / 200"), std::string::npos) << line;
  }
  EXPECT_EQ(connections.size(), 1u);
}

}  // namespace
}  // namespace paf
