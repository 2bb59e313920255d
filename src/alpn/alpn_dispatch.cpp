// dispatch_by_alpn: waits for a SecureFlow's handshake, then makes the
// connection ALPN's choice names.
#include <memory>
#include <utility>

#include "paf/alpn.h"

namespace paf {
namespace {

class AlpnDispatch final : public PendingConnection {
 public:
  AlpnDispatch(std::unique_ptr<SecureFlow> flow, ConnectionFactory make,
               std::shared_ptr<HandshakeTurns> turns)
      : flow_(std::move(flow)), make_(std::move(make)), turns_(std::move(turns)) {}
  ~AlpnDispatch() override {
    if (turns_ && ticket_ != 0) turns_->cancel(ticket_);
  }

  // The server speaks second: nothing to do before the client's first bytes.
  // Wakeups come from the loop, and die with the flow, which dies with this.
  void start(Function<void(Result<ServedConnection>)> ready) override {
    ready_ = std::move(ready);
    flow_->when_readable([this] { take_turn(); });
  }

  std::string_view peer() const override { return flow_ ? flow_->peer() : std::string_view(); }

 private:
  // Each step of the handshake waits for its turn among the service's
  // handshakes. The step may destroy this object (finish()): nothing after it.
  void take_turn() {
    if (!turns_) return step();
    turns_->take_turn(ticket_, [this] {
      ticket_ = 0;
      step();
    });
  }

  // Drives the handshake as far as the peer's bytes allow. Only handshake()
  // is called, never read(): nothing past the handshake is taken from the
  // flow before the connection that will read it exists.
  void step() {
    Result<void> done = flow_->handshake();
    if (!done && done.error().code == Errc::would_block) {
      flow_->when_readable([this] { take_turn(); });
      return;
    }
    if (!done) return finish(std::unexpected(done.error()));
    if (flow_->handshake_only()) {
      flow_->close();
      return finish(ServedConnection{});  // over: the handshake answered
    }
    std::optional<HttpVersion> version = version_for_alpn(flow_->alpn());
    if (!version)
      return finish(fail(Errc::not_supported, "ALPN: the protocol negotiated is not HTTP"));
    Result<std::unique_ptr<Connection>> connection = make_(*version);
    if (!connection) return finish(std::unexpected(connection.error()));
    ServedConnection served;
    served.flow = std::move(flow_);
    served.connection = std::move(*connection);
    finish(std::move(served));
  }

  // `ready` may destroy this object: nothing after it.
  void finish(Result<ServedConnection> result) {
    if (!result && flow_) flow_->close();
    Function<void(Result<ServedConnection>)> ready = std::move(ready_);
    ready(std::move(result));
  }

  std::unique_ptr<SecureFlow> flow_;
  ConnectionFactory make_;
  std::shared_ptr<HandshakeTurns> turns_;  // none: every step at once
  std::uint64_t ticket_ = 0;               // a step waiting for its turn
  Function<void(Result<ServedConnection>)> ready_;
};

}  // namespace

std::shared_ptr<HandshakeTurns> HandshakeTurns::create(Loop& loop) {
  return std::shared_ptr<HandshakeTurns>(new HandshakeTurns(loop));
}

void HandshakeTurns::take_turn(std::uint64_t& ticket, Function<void()> step) {
  if (!turn_taken_) {
    ticket = 0;
    return run(std::move(step));  // may destroy `ticket`'s owner, and this
  }
  ticket = next_ticket_++;
  waiting_.emplace_back(ticket, std::move(step));
}

void HandshakeTurns::cancel(std::uint64_t ticket) {
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    if (it->first == ticket) {
      waiting_.erase(it);
      return;
    }
  }
}

// The turn is over once the loop runs what was posted during it: then the
// next step waiting runs, before what the loop learnt meanwhile.
void HandshakeTurns::run(Function<void()> step) {
  turn_taken_ = true;
  loop_.post([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->next_turn();
  });
  step();  // may cancel() or take_turn() (not run: the turn is taken)
}

void HandshakeTurns::next_turn() {
  turn_taken_ = false;
  if (waiting_.empty()) return;
  Function<void()> step = std::move(waiting_.front().second);
  waiting_.pop_front();
  run(std::move(step));
}

std::unique_ptr<PendingConnection> dispatch_by_alpn(std::unique_ptr<SecureFlow> flow,
                                                    ConnectionFactory make) {
  return std::make_unique<AlpnDispatch>(std::move(flow), std::move(make), nullptr);
}

std::unique_ptr<PendingConnection> dispatch_by_alpn(std::unique_ptr<SecureFlow> flow,
                                                    ConnectionFactory make,
                                                    std::shared_ptr<HandshakeTurns> turns) {
  return std::make_unique<AlpnDispatch>(std::move(flow), std::move(make), std::move(turns));
}

}  // namespace paf
