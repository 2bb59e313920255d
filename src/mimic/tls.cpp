// TLS over any protocol: the inner protocol connects, then a TLS client
// handshake runs over its flow; the step ends when the handshake does.
#include "paf/tls.h"

#include <memory>
#include <string_view>
#include <utility>

#include "paf/mimic.h"

namespace paf::mimic {
namespace {

class TlsConnect final : public Pending {
 public:
  TlsConnect(Loop& loop, TlsConfig config, Buffer server_name,
             Function<void(Result<Connected>)> done)
      : loop_(loop),
        config_(std::move(config)),
        server_name_(std::move(server_name)),
        done_(std::move(done)) {}

  Result<void> start(const Protocol& inner, const Ctx& ctx) {
    auto started = inner.connect(
        ctx, loop_, [this, alive = std::weak_ptr<char>(alive_)](Result<Connected> connected) {
          if (!alive.expired()) inner_done(std::move(connected));
        });
    if (!started) return std::unexpected(started.error());
    inner_ = std::move(*started);
    return {};
  }

 private:
  void inner_done(Result<Connected> connected) {
    // The inner step may be the caller: dropped on the loop's next turn.
    loop_.post([inner = std::move(inner_)] {});
    if (!connected) return finish(std::unexpected(connected.error()));
    auto flow = TlsFlow::client(loop_, config_, std::move(connected->flow), server_name_.view());
    if (!flow) return finish(std::unexpected(flow.error()));
    flow_ = std::move(*flow);
    drive();
  }

  void drive() {
    Result<void> handshake = flow_->handshake();
    if (handshake) {
      SecureFlow* secure = flow_.get();
      return finish(Connected{std::move(flow_), secure, {}});
    }
    if (handshake.error().code == Errc::would_block)
      return flow_->when_readable([this, alive = std::weak_ptr<char>(alive_)] {
        if (!alive.expired()) drive();
      });
    flow_.reset();
    finish(std::unexpected(handshake.error()));
  }

  // `done` may destroy this object: nothing runs after it.
  void finish(Result<Connected> result) {
    Function<void(Result<Connected>)> done = std::move(done_);
    done(std::move(result));
  }

  Loop& loop_;
  TlsConfig config_;
  Buffer server_name_;
  Function<void(Result<Connected>)> done_;
  std::unique_ptr<Pending> inner_;
  std::unique_ptr<TlsFlow> flow_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace

Protocol tls_over(std::string_view name, Protocol inner) {
  Protocol tls{name, inner.priority, inner.needs, {}, {}};
  tls.needs.push_back(&keys::tls);
  for (const KeyBase* key : inner.unless)
    if (key != &keys::tls) tls.unless.push_back(key);
  auto shared_inner = std::make_shared<const Protocol>(std::move(inner));
  tls.connect = [shared_inner](
                    const Ctx& ctx, Loop& loop,
                    Function<void(Result<Connected>)> done) -> Result<std::unique_ptr<Pending>> {
    const Buffer* server_name = ctx.find(keys::tls_server_name);
    if (server_name == nullptr) server_name = ctx.find(keys::host);
    auto pending = std::make_unique<TlsConnect>(loop, *ctx.find(keys::tls),
                                                server_name != nullptr ? *server_name : Buffer(),
                                                std::move(done));
    if (auto started = pending->start(*shared_inner, ctx); !started)
      return std::unexpected(started.error());
    return pending;
  };
  return tls;
}

}  // namespace paf::mimic
