// dispatch_by_alpn: waits for a SecureFlow's handshake, then makes the
// connection ALPN's choice names.
#include <memory>
#include <utility>

#include "paf/alpn.h"

namespace paf {
namespace {

class AlpnDispatch final : public PendingConnection {
 public:
  AlpnDispatch(std::unique_ptr<SecureFlow> flow, ConnectionFactory make)
      : flow_(std::move(flow)), make_(std::move(make)) {}

  // The server speaks second: nothing to do before the client's first bytes.
  // Wakeups come from the loop, and die with the flow, which dies with this.
  void start(Function<void(Result<ServedConnection>)> ready) override {
    ready_ = std::move(ready);
    flow_->when_readable([this] { step(); });
  }

  std::string_view peer() const override { return flow_ ? flow_->peer() : std::string_view(); }

 private:
  // Drives the handshake as far as the peer's bytes allow. Only handshake()
  // is called, never read(): nothing past the handshake is taken from the
  // flow before the connection that will read it exists.
  void step() {
    Result<void> done = flow_->handshake();
    if (!done && done.error().code == Errc::would_block) {
      flow_->when_readable([this] { step(); });
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
  Function<void(Result<ServedConnection>)> ready_;
};

}  // namespace

std::unique_ptr<PendingConnection> dispatch_by_alpn(std::unique_ptr<SecureFlow> flow,
                                                    ConnectionFactory make) {
  return std::make_unique<AlpnDispatch>(std::move(flow), std::move(make));
}

}  // namespace paf
