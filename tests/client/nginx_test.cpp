// paf::Client against nginx on loopback (HTTP/1.1, and HTTP/2 over TLS with a
// certificate made for the test), connection reuse checked from the
// server's side: nginx's $connection in its access log.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <random>
#include <set>

#include "support.h"

namespace paf {
namespace {

using namespace paf::testing;

// nginx (start_nginx) with an http and an https (HTTP/2) server.
struct Nginx {
  static constexpr const char* kProgram = "/usr/sbin/nginx";
  static constexpr const char* kPackage = "nginx-light";
  ScratchDir dir;
  Process process;
  std::uint16_t http_port = 0, https_port = 0;
  std::string certificate, blob;

  bool start() {
    if (!make_certificate(dir)) return false;
    certificate = read_file(dir.file("cert.pem"));
    std::filesystem::create_directories(dir.path / "www");
    std::ofstream(dir.file("www/index.html")) << "hello from nginx\n";
    std::mt19937 generator(42);
    blob.resize(1024 * 1024 + 13);
    for (char& byte : blob) byte = static_cast<char>(generator());
    std::ofstream(dir.file("www/blob"), std::ios::binary) << blob;
    // Run as root, nginx's workers become nobody: they must read the files.
    for (const char* path : {"", "www", "www/index.html", "www/blob"})
      ::chmod(dir.file(path).c_str(), 0755);
    for (int attempt = 0; attempt < 5; ++attempt) {
      http_port = free_port();
      https_port = free_port();
      std::ostringstream http;
      http << "  log_format conn '$connection $server_protocol $request_uri $status';\n"
           << "  access_log " << dir.file("access.log") << " conn;\n"
           << "  keepalive_requests 1000;\n"
           << "  http2_max_concurrent_streams 16;\n"
           << "  server { listen 127.0.0.1:" << http_port << "; root " << dir.file("www") << ";\n"
           << "    location = /echo-request { return 200 \"$request_method auth=$http_authorization"
           << " cookie=$http_cookie\"; }\n"
           << "    location = /found { return 302 /index.html; }\n"
           << "    location = /same-origin { return 302 /echo-request; }\n"
           << "    location = /other-origin { return 302 https://localhost:" << https_port
           << "/echo-request; }\n"
           << "    location = /see-other { return 303 /echo-request; }\n"
           << "    location = /temporary { return 307 /echo-request; }\n"
           << "    location = /loop { return 302 /loop; }\n"
           << "  }\n"
           << "  server { listen 127.0.0.1:" << https_port << " ssl http2; root " << dir.file("www")
           << ";\n"
           << "    location = /echo-request { return 200 \"$request_method auth=$http_authorization"
           << " cookie=$http_cookie\"; }\n"
           << "    ssl_certificate " << dir.file("cert.pem") << "; ssl_certificate_key "
           << dir.file("key.pem") << "; }\n";
      start_nginx(process, dir, http.str());
      if (wait_accepting(process, http_port) && wait_accepting(process, https_port)) return true;
      process.stop();
    }
    return false;
  }

  // The access log's lines so far, as "connection protocol uri status".
  std::vector<std::string> access_log() const { return read_lines(dir.file("access.log")); }
};

class NginxClient : public PeerTest<Nginx> {
 protected:
  void SetUp() override {
    PeerTest::SetUp();
    if (HasFatalFailure()) return;
    auto tls =
        TlsConfig::client().trust_certificate(peer->certificate).alpn({"h2", "http/1.1"}).build();
    ASSERT_TRUE(tls) << tls.error().message;
    client = std::make_unique<Client>(*loop, host_connector(*backend, *loop, *tls));
    client->on_connection(
        [this](const ConnectionInfo& info) { protocols.push_back(info.version); });
  }

  // The $connection of each request logged since the test began, once
  // `count` are there.
  std::vector<std::string> connections_logged(std::size_t count) {
    std::vector<std::string> connections;
    for (const std::string& line : logged(count)) connections.push_back(line.substr(0, line.find(' ')));
    return connections;
  }

  Origin http() const { return origin("http", "127.0.0.1", peer->http_port); }
  Origin https() const { return origin("https", "localhost", peer->https_port); }

  std::vector<HttpVersion> protocols;
};

TEST_F(NginxClient, Http1HundredSequentialGetsShareOneConnection) {
  for (int i = 0; i < 100; ++i) {
    Seen seen;
    ASSERT_TRUE(client->request(http(), Request(Method::GET, "/"), record(&seen)));
    ASSERT_TRUE(run_until(*loop, [&] { return seen.done(); }));
    ASSERT_FALSE(seen.error) << seen.error->message;
    ASSERT_EQ(seen.body, "hello from nginx\n");
  }
  std::vector<std::string> connections = connections_logged(100);
  ASSERT_EQ(connections.size(), 100u);
  EXPECT_EQ(std::set<std::string>(connections.begin(), connections.end()).size(), 1u);
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_1_1});
}

// The next request sent from the last one's on_end, while the engine is
// still ending that exchange, waits for its connection instead of opening
// another (as a handler that chains requests does).
TEST_F(NginxClient, Http1RequestsChainedFromTheEndCallbackShareOneConnection) {
  constexpr int kChained = 20;
  int ended = 0;
  std::optional<Error> failed;
  Function<void()> next;
  next = [&] {
    auto sent = client->request(http(), Request(Method::GET, "/"),
                                [&](Result<Response> response, BodyReader body) {
                                  if (!response) return void(failed = response.error());
                                  body.on_data([](Bytes) {});
                                  body.on_end([&](Result<void> end) {
                                    if (!end) return void(failed = end.error());
                                    if (++ended < kChained) next();
                                  });
                                });
    if (!sent) failed = sent.error();
  };
  next();
  ASSERT_TRUE(run_until(*loop, [&] { return ended == kChained || failed.has_value(); }));
  ASSERT_FALSE(failed) << failed->message;
  std::vector<std::string> connections = connections_logged(kChained);
  ASSERT_EQ(connections.size(), std::size_t(kChained));
  EXPECT_EQ(std::set<std::string>(connections.begin(), connections.end()).size(), 1u);
}

// nginx takes 16 streams at once: the others wait for a stream to end.
TEST_F(NginxClient, Http2HundredConcurrentGetsShareOneConnection) {
  std::vector<Seen> seen(100);
  for (Seen& one : seen)
    ASSERT_TRUE(client->request(https(), Request(Method::GET, "/"), record(&one)));
  ASSERT_TRUE(run_until(
      *loop,
      [&] { return std::all_of(seen.begin(), seen.end(), [](const Seen& s) { return s.done(); }); },
      30));
  for (const Seen& one : seen) {
    ASSERT_FALSE(one.error) << one.error->message << " " << one.error->detail;
    ASSERT_EQ(one.body, "hello from nginx\n");
  }
  std::vector<std::string> connections = connections_logged(100);
  ASSERT_EQ(connections.size(), 100u);
  EXPECT_EQ(std::set<std::string>(connections.begin(), connections.end()).size(), 1u);
  EXPECT_EQ(protocols, std::vector<HttpVersion>{HttpVersion::http_2});
  const std::string last = peer->access_log().back();
  EXPECT_NE(last.find("HTTP/2.0"), std::string::npos) << last;
}

TEST_F(NginxClient, LargeBodiesArriveByteForByteOverBothProtocols) {
  Seen over_h1, over_h2;
  ASSERT_TRUE(client->request(http(), Request(Method::GET, "/blob"), record(&over_h1)));
  ASSERT_TRUE(client->request(https(), Request(Method::GET, "/blob"), record(&over_h2)));
  ASSERT_TRUE(run_until(
      *loop, [&] { return over_h1.done() && over_h2.done(); }, 30));
  ASSERT_FALSE(over_h1.error) << over_h1.error->message;
  ASSERT_FALSE(over_h2.error) << over_h2.error->message;
  EXPECT_EQ(over_h1.body.size(), peer->blob.size());
  EXPECT_TRUE(over_h1.body == peer->blob);
  EXPECT_TRUE(over_h2.body == peer->blob);
}

TEST_F(NginxClient, ANotFoundIsAResponseNotAnError) {
  Seen seen;
  ASSERT_TRUE(client->request(https(), Request(Method::GET, "/missing"), record(&seen)));
  ASSERT_TRUE(run_until(*loop, [&] { return seen.done(); }));
  ASSERT_FALSE(seen.error) << seen.error->message;
  EXPECT_EQ(seen.status, 404);
}

}  // namespace
}  // namespace paf

// --- by URI: paf::Client's get/post/..., redirects -----------------------------

namespace paf {
namespace {

class NginxUriClient : public NginxClient {
 protected:
  std::string http_url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(peer->http_port) + std::string(path);
  }
  std::string https_url(std::string_view path) const {
    return "https://localhost:" + std::to_string(peer->https_port) + std::string(path);
  }
  // Runs the loop until `start`'s request is answered; returns the answer.
  template <typename Start>
  Result<Answer> answer(Start start) {
    std::optional<Result<Answer>> got;
    start([&got](Result<Answer> answer) { got = std::move(answer); });
    EXPECT_TRUE(run_until(
        *loop, [&] { return got.has_value(); }, 30));
    return got ? std::move(*got) : fail(Errc::timed_out, "no answer");
  }
  static FetchOptions follow(std::size_t count = 5) {
    FetchOptions options;
    options.max_redirects = count;
    return options;
  }
  static Headers credentials() { return {{"authorization", "Bearer secret"}, {"cookie", "a=b"}}; }
};

TEST_F(NginxUriClient, GetCollectsTheWholeBodyOverBothProtocols) {
  for (const std::string& url : {http_url("/blob"), https_url("/blob")}) {
    auto got = answer([&](AnswerHandler done) { client->get(url, std::move(done)); });
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->response.status, 200);
    EXPECT_TRUE(got->body == peer->blob) << url;
  }
}

TEST_F(NginxUriClient, ARedirectIsAnAnswerUnlessFollowed) {
  auto redirect =
      answer([&](AnswerHandler done) { client->get(http_url("/found"), std::move(done)); });
  ASSERT_TRUE(redirect) << redirect.error().message;
  EXPECT_EQ(redirect->response.status, 302);
  auto followed = answer(
      [&](AnswerHandler done) { client->get(http_url("/found"), std::move(done), {}, follow()); });
  ASSERT_TRUE(followed) << followed.error().message;
  EXPECT_EQ(followed->response.status, 200);
  EXPECT_EQ(followed->body, "hello from nginx\n");
}

TEST_F(NginxUriClient, ASameOriginRedirectKeepsTheCredentials) {
  auto got = answer([&](AnswerHandler done) {
    client->get(http_url("/same-origin"), std::move(done), credentials(), follow());
  });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->body, "GET auth=Bearer secret cookie=a=b");
}

TEST_F(NginxUriClient, ARedirectToAnotherOriginDropsTheCredentials) {
  auto got = answer([&](AnswerHandler done) {
    client->get(http_url("/other-origin"), std::move(done), credentials(), follow());
  });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->body.view(), "GET auth= cookie=");
  EXPECT_EQ(protocols.back(), HttpVersion::http_2);  // it went to the https origin
}

TEST_F(NginxUriClient, SeeOtherTurnsAPostIntoAGet) {
  auto got = answer([&](AnswerHandler done) {
    client->post(http_url("/see-other"), Buffer("data"), std::move(done), {}, follow());
  });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->body, "GET auth= cookie=");
}

TEST_F(NginxUriClient, ATemporaryRedirectKeepsThePostAndItsBody) {
  auto got = answer([&](AnswerHandler done) {
    client->post(http_url("/temporary"), Buffer("data"), std::move(done), {}, follow());
  });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->body, "POST auth= cookie=");
}

TEST_F(NginxUriClient, ARedirectLoopFailsPastTheCount) {
  auto got = answer(
      [&](AnswerHandler done) { client->get(http_url("/loop"), std::move(done), {}, follow(3)); });
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::limit_exceeded) << got.error().message;
}

TEST_F(NginxUriClient, ABodyOverTheLimitFails) {
  FetchOptions options;
  options.max_body_bytes = 1000;
  auto got = answer(
      [&](AnswerHandler done) { client->get(http_url("/blob"), std::move(done), {}, options); });
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::limit_exceeded) << got.error().message;
}

TEST_F(NginxUriClient, HeadAndDeleteAndABadUri) {
  auto head = answer([&](AnswerHandler done) { client->head(http_url("/blob"), std::move(done)); });
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->response.status, 200);
  EXPECT_TRUE(head->body.empty());
  auto deleted =
      answer([&](AnswerHandler done) { client->del(http_url("/echo-request"), std::move(done)); });
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(deleted->body, "DELETE auth= cookie=");
  auto bad = answer([&](AnswerHandler done) { client->get("not a uri", std::move(done)); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace paf
