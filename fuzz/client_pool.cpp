// paf::Client as an application uses it — its pools, HTTP/1.1 keep-alive
// and retries on stale connections, HTTP/2 multiplexing, redirects followed
// by the URI layer, timeouts, cancellation and shutdown — with every byte
// the servers send from the fuzzer. The connections are in-memory flows that
// a Mimic protocol of the target's own hands out, on a simulated clock.
//
// Input: one byte of configuration (bit 0: h2c by prior knowledge instead of
// HTTP/1.1; bit 1: redirects followed), then steps (fuzz/steps.h). A feed
// goes to the current connection's server end, end of input closes it;
// actions: 0 a GET, 1 a GET by URI (a POST when the clock is odd), 2 the
// last request cancelled, 3 the next connection becomes the current one.
// When the input ends the client shuts down and everything is destroyed:
// LeakSanitizer sees what a request, a connection or a pool kept.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "memory_protocol.h"
#include "paf/client.h"
#include "paf/loop.h"
#include "paf/memory_flow.h"
#include "paf/mimic.h"
#include "steps.h"

namespace {

using namespace paf;

class Target {
 public:
  explicit Target(std::uint8_t config) : loop_(backend_) {
    mimic::Protocol memory = fuzz::memory_protocol(
        [this](std::unique_ptr<MemoryFlow> server) { servers_.push_back(std::move(server)); });
    ClientConfig settings;
    settings.h2_prior_knowledge = (config & 1) != 0;
    settings.max_connections_per_origin = 2;
    settings.response_timeout_ns = seconds(5);
    settings.body_idle_timeout_ns = seconds(5);
    follow_ = (config & 2) != 0;
    client_ = std::make_unique<Client>(
        loop_, mimic_connector(mimic::Ctx{}.with_protocol(std::move(memory)), loop_), settings);
  }

  ~Target() {
    client_->shutdown([] {});
    settle();
    client_.reset();
    writers_.clear();
    servers_.clear();
    settle();
  }

  void play(fuzz::Steps steps) {
    get("/");
    settle();
    for (fuzz::Step step = steps.next(); step.kind != fuzz::Step::Kind::done; step = steps.next()) {
      switch (step.kind) {
        case fuzz::Step::Kind::feed:
          if (MemoryFlow* server = current()) (void)server->writev(std::span(&step.bytes, 1));
          break;
        case fuzz::Step::Kind::end_of_input:
          if (MemoryFlow* server = current()) server->close();
          break;
        case fuzz::Step::Kind::advance:
          backend_.advance(step.ns);
          break;
        case fuzz::Step::Kind::action:
          act(step.action);
          break;
        default:
          break;
      }
      settle();
    }
  }

 private:
  void act(unsigned action) {
    switch (action) {
      case 0:
        return get("/next");
      case 1:
        return by_uri();
      case 2:
        if (!writers_.empty()) writers_.back().cancel();
        return;
      default:
        ++current_;
        return;
    }
  }

  void get(std::string_view target) {
    auto writer = client_->request(Origin{Buffer("http"), Buffer("a.example"), 80},
                                   Request(Method::GET, target), read_to_end());
    if (writer) writers_.push_back(std::move(*writer));
  }

  void by_uri() {
    FetchOptions options;
    options.max_redirects = follow_ ? 3 : 0;
    options.max_body_bytes = 4096;
    const bool post = (loop_.now_ns() / 10'000'000) % 2 == 1;
    client_->request(post ? Method::POST : Method::GET, "http://a.example/by-uri?x=1",
                     Headers{}, Buffer(post ? "body" : ""), [](Result<Answer>) {}, options);
  }

  static ResponseHandler read_to_end() {
    return [](Result<Response> response, BodyReader body) {
      if (!response) return;
      body.on_data([](Bytes) {});
      body.on_end([](Result<void>) {});
    };
  }

  MemoryFlow* current() {
    if (servers_.empty()) return nullptr;
    return servers_[current_ % servers_.size()].get();
  }

  // Runs what is due now; the server ends read (and drop) what the client wrote.
  void settle() {
    std::uint8_t sink[4096];
    for (int turn = 0; turn < 64; ++turn) {
      for (auto& server : servers_)
        while (server->unread_bytes() > 0)
          if (auto n = server->read(MutableBytes(sink, sizeof sink)); !n || *n == 0) break;
      auto ran = loop_.run_until(loop_.now_ns());
      if (!ran || *ran != LoopExit::deadline_reached) break;
    }
  }

  SimulatedTimeBackend backend_;
  Loop loop_;
  std::unique_ptr<Client> client_;
  std::vector<std::unique_ptr<MemoryFlow>> servers_;
  std::vector<BodyWriter> writers_;
  std::size_t current_ = 0;
  bool follow_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Target target(data[0]);
  target.play(fuzz::Steps(data + 1, size - 1));
  return 0;
}
