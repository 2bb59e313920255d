// make bench: the client's own speed (tools/bench/client.sh). paf::Client
// fetches URL COUNT times, DEPTH requests in flight, each body read to its
// end; over HTTP/2 they share one connection, as h2load -c1 -mDEPTH does.
//
//   paf-client-speed [--h2c] URL COUNT DEPTH
//
// Prints "requests N failures F connections C seconds S req/s R"; exits 1
// when any request failed. TLS is not verified (the bench's certificate is
// self-signed): the handshake is made once, it is not what is measured.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "paf/client.h"
#include "paf/loop.h"
#include "paf/mimic.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/mimic.h"
#include "paf/tls.h"

using namespace paf;

namespace {

class Fetcher {
 public:
  Fetcher(Loop& loop, Client& client, Origin origin, std::string target, std::size_t count)
      : loop_(loop), client_(client), origin_(std::move(origin)), target_(std::move(target)),
        count_(count) {}

  void start(std::size_t depth) {
    started_ns_ = loop_.now_ns();
    for (std::size_t i = 0; i < depth && sent_ < count_; ++i) send();
  }

  std::size_t done() const { return done_; }
  std::size_t failures() const { return failures_; }
  double seconds() const { return double(finished_ns_ - started_ns_) / 1e9; }

 private:
  void send() {
    ++sent_;
    auto writer = client_.request(origin_, Request(Method::GET, target_),
                                  [this](Result<Response> response, BodyReader body) {
                                    if (!response || response->status != 200) {
                                      if (body) body.discard();
                                      return finish_one(false);
                                    }
                                    body.on_data([](Bytes) {});
                                    body.on_end([this](Result<void> end) {
                                      finish_one(end.has_value());
                                    });
                                  });
    if (!writer) loop_.post([this] { finish_one(false); });
  }

  void finish_one(bool ok) {
    ++done_;
    if (!ok) ++failures_;
    if (sent_ < count_) return send();
    if (done_ < count_) return;
    finished_ns_ = loop_.now_ns();
    client_.shutdown([this] { loop_.stop(); });
  }

  Loop& loop_;
  Client& client_;
  Origin origin_;
  std::string target_;
  std::size_t count_;
  std::size_t sent_ = 0;
  std::size_t done_ = 0;
  std::size_t failures_ = 0;
  std::uint64_t started_ns_ = 0;
  std::uint64_t finished_ns_ = 0;
};

int usage() {
  std::fprintf(stderr, "usage: paf-client-speed [--h2c] URL COUNT DEPTH\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int arg = 1;
  const bool h2c = argc > 1 && std::string_view(argv[1]) == "--h2c";
  if (h2c) ++arg;
  if (argc - arg != 3) return usage();
  auto uri = Uri::parse(argv[arg]);
  const long count = std::atol(argv[arg + 1]);
  const long depth = std::atol(argv[arg + 2]);
  if (!uri || count <= 0 || depth <= 0) return usage();

  auto backend = posix::EpollLoopBackend::create();
  if (!backend) return 1;
  Loop loop(**backend);
  auto tls = TlsConfig::client().insecure_for_tests().alpn({"h2", "http/1.1"}).build();
  if (!tls) return 1;
  mimic::Ctx ctx = posix::with_host_protocols({}, **backend).with(mimic::keys::tls, *tls);
  ClientConfig config;
  config.h2_prior_knowledge = h2c;
  Client client(loop, mimic_connector(ctx, loop), config);
  std::size_t connections = 0;
  client.on_connection([&](const ConnectionInfo&) { ++connections; });

  Buffer target = uri->request_target();
  Fetcher fetcher(loop, client, uri->origin(), std::string(target.view()),
                  static_cast<std::size_t>(count));
  fetcher.start(static_cast<std::size_t>(depth));
  (void)loop.run();
  std::printf("requests %zu failures %zu connections %zu seconds %.3f req/s %.0f\n",
              fetcher.done(), fetcher.failures(), connections, fetcher.seconds(),
              fetcher.seconds() > 0 ? double(fetcher.done()) / fetcher.seconds() : 0.0);
  return fetcher.failures() == 0 && fetcher.done() == std::size_t(count) ? 0 : 1;
}
