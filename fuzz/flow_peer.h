// Plays a fuzz input's steps (steps.h) as the peer at one end of a
// MemoryFlow pair, on a loop of simulated time that only the input moves:
// the code under test holds the other end (serve() through a one-flow
// Listener, a TlsFlow...). What it writes is read and dropped as it comes,
// unless the input stops reading.
#ifndef PAF_FUZZ_FLOW_PEER_H
#define PAF_FUZZ_FLOW_PEER_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "paf/function.h"
#include "paf/listener.h"
#include "paf/loop.h"
#include "paf/memory_flow.h"
#include "steps.h"

namespace paf::fuzz {

class FlowPeer {
 public:
  FlowPeer() : pair_(MemoryFlow::pair(loop_)) {}

  Loop& loop() { return loop_; }
  // The end the code under test takes (once).
  std::unique_ptr<Flow> take_server_end() { return std::move(pair_.server); }

  // Runs what the loop has to do now (posted callbacks, due timers), moving
  // the clock by one nanosecond.
  void settle() { (void)loop_.run_until(loop_.now_ns() + 1); }

  // Calls `on_action` for the input's own actions (0 to 3), then settles.
  void play(Steps steps, Function<void(unsigned)> on_action = {}) {
    settle();
    for (Step step = steps.next(); step.kind != Step::Kind::done; step = steps.next()) {
      switch (step.kind) {
        case Step::Kind::feed:
          write(step.bytes);
          break;
        case Step::Kind::advance:
          backend_.advance(step.ns);
          break;
        case Step::Kind::end_of_input:
          (void)client().shutdown_write();
          break;
        case Step::Kind::toggle_reading:
          reading_ = !reading_;
          break;
        case Step::Kind::write_limit:
          break;  // MemoryFlow's transfers are the loop's
        case Step::Kind::action:
          if (on_action) on_action(step.action);
          break;
        case Step::Kind::done:
          break;
      }
      settle();
      if (reading_) drain();
    }
  }

  // After the input: the clock runs on (bounded) until nothing is left to
  // do, so that every timeout fires and everything is released.
  void finish() {
    for (int turn = 0; turn < 100 && loop_.has_work(); ++turn) {
      drain();
      (void)loop_.run_until(loop_.now_ns() + seconds(10));
    }
  }

 private:
  Flow& client() { return *pair_.client; }

  // Writes what fits; the rest is lost (a peer that gave up on a full flow).
  void write(Bytes bytes) {
    if (bytes.empty()) return;
    (void)client().writev(std::span<const Bytes>(&bytes, 1));
  }

  void drain() {
    std::uint8_t buffer[16 * 1024];
    for (int reads = 0; reads < 64; ++reads) {
      auto n = client().read(buffer);
      if (!n || *n == 0) return;
    }
  }

  SimulatedTimeBackend backend_;
  Loop loop_{backend_};
  MemoryFlowPair pair_;
  bool reading_ = true;
};

// A Listener that accepts one given flow, then nothing.
class OneFlowListener final : public Listener {
 public:
  explicit OneFlowListener(std::unique_ptr<Flow> flow) : flow_(std::move(flow)) {}
  Result<std::unique_ptr<Flow>> accept() override {
    if (closed_) return fail(Errc::closed, "listener closed");
    if (!flow_) return fail(Errc::would_block, "no connection pending");
    return std::move(flow_);
  }
  void when_acceptable(Function<void()>) override {}
  void close() override { closed_ = true; }
  std::string_view local_address() const override { return "memory"; }
  std::optional<std::uint16_t> port() const override { return std::nullopt; }

 private:
  std::unique_ptr<Flow> flow_;
  bool closed_ = false;
};

}  // namespace paf::fuzz

#endif
