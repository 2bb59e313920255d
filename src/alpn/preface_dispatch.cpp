// dispatch_by_preface: reads a cleartext flow's first bytes until they show
// whether it opens with the HTTP/2 preface, then makes its connection and
// hands those bytes to it.
#include <cstdint>
#include <memory>
#include <utility>

#include "paf/alpn.h"

namespace paf {
namespace {

class PrefaceDispatch final : public PendingConnection {
 public:
  PrefaceDispatch(Loop& loop, std::unique_ptr<Flow> flow, PrefaceTimeouts timeouts,
                  ConnectionFactory make)
      : loop_(loop), flow_(std::move(flow)), timeouts_(timeouts), make_(std::move(make)) {}
  ~PrefaceDispatch() override { cancel_timer(); }

  void start(Function<void(Result<ServedConnection>)> ready) override {
    ready_ = std::move(ready);
    arm_timer(timeouts_.first_byte_ns);
    flow_->when_readable([this] { step(); });  // from the loop; dies with the flow
  }

  std::string_view peer() const override { return flow_ ? flow_->peer() : std::string_view(); }

 private:
  void step() {
    // Never more than the preface still missing: every byte read here must
    // be one the preface decides on.
    Result<std::size_t> got = flow_->read({first_ + size_, sizeof first_ - size_});
    if (!got && got.error().code == Errc::would_block) {
      flow_->when_readable([this] { step(); });
      return;
    }
    if (!got) return finish(std::unexpected(got.error()));
    // End of stream: HTTP/1.x sees it too and answers (a cut request: 400) or
    // just closes, as it would have without the peek.
    if (*got == 0) return dispatch(HttpVersion::http_1_1);
    if (size_ == 0) arm_timer(timeouts_.decision_ns);
    size_ += *got;
    std::optional<HttpVersion> version = version_for_first_bytes({first_, size_});
    if (version) return dispatch(*version);
    flow_->when_readable([this] { step(); });
  }

  void dispatch(HttpVersion version) {
    Result<std::unique_ptr<Connection>> connection = make_(version);
    if (!connection) return finish(std::unexpected(connection.error()));
    ServedConnection served;
    served.flow = std::move(flow_);
    served.connection = std::move(*connection);
    served.first_input = Buffer(Bytes{first_, size_});
    finish(std::move(served));
  }

  void on_timeout() {
    timer_ = {};
    finish(fail(Errc::timed_out, "the client sent no HTTP request in time"));
  }

  // `ready` may destroy this object: nothing after it.
  void finish(Result<ServedConnection> result) {
    cancel_timer();
    if (!result) flow_->close();
    Function<void(Result<ServedConnection>)> ready = std::move(ready_);
    ready(std::move(result));
  }

  void arm_timer(std::uint64_t delay_ns) {
    cancel_timer();
    timer_ = loop_.add_timer_after(delay_ns, [this] { on_timeout(); });
  }
  void cancel_timer() {
    if (timer_ != TimerId{}) loop_.cancel_timer(timer_);
    timer_ = {};
  }

  Loop& loop_;
  std::unique_ptr<Flow> flow_;
  PrefaceTimeouts timeouts_;
  ConnectionFactory make_;
  Function<void(Result<ServedConnection>)> ready_;
  TimerId timer_;
  std::uint8_t first_[kHttp2Preface.size()];
  std::size_t size_ = 0;
};

}  // namespace

std::unique_ptr<PendingConnection> dispatch_by_preface(Loop& loop, std::unique_ptr<Flow> flow,
                                                       PrefaceTimeouts timeouts,
                                                       ConnectionFactory make) {
  return std::make_unique<PrefaceDispatch>(loop, std::move(flow), timeouts, std::move(make));
}

}  // namespace paf
