// resolve(): one step at a time — the derivations whose keys are present,
// then the protocols in order — each under a timer. A step's callback and its
// timer both end the step; whichever comes first wins and drops the other.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/mimic.h"

namespace paf::mimic {
namespace {

bool holds_all(const Ctx& ctx, std::span<const KeyBase* const> keys) {
  for (const KeyBase* key : keys)
    if (!ctx.contains(*key)) return false;
  return true;
}

bool holds_any(const Ctx& ctx, std::span<const KeyBase* const> keys) {
  for (const KeyBase* key : keys)
    if (ctx.contains(*key)) return true;
  return false;
}

}  // namespace

class Resolving::State {
 public:
  State(const Ctx& ctx, Loop& loop, Function<void(Resolution)> done)
      : registered_(ctx), ctx_(ctx), loop_(loop), done_(std::move(done)) {
    const std::uint64_t* timeout = ctx.find(keys::step_timeout);
    step_timeout_ = timeout != nullptr ? *timeout : kDefaultStepTimeout;
    derivations_ = ctx.derivations();
    protocols_ = ctx.protocols();
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  // Cancelled: the step is not calling back now (a callback that ends the
  // resolve has ended its step first), so it is dropped at once.
  ~State() {
    if (timer_ != TimerId{}) loop_.cancel_timer(timer_);
  }

  // The first step starts from the loop: done is never called from resolve().
  void start() {
    loop_.post([this, alive = std::weak_ptr<char>(alive_)] {
      if (!alive.expired()) next_step();
    });
  }

  bool finished() const { return finished_; }

 private:
  void next_step() {
    while (next_derivation_ < derivations_.size()) {
      const Derivation& derivation = *derivations_[next_derivation_++];
      if (!holds_all(ctx_, derivation.needs)) continue;
      if (derivation.gives != nullptr && ctx_.contains(*derivation.gives)) continue;
      auto started = derivation.derive(
          ctx_, loop_,
          [this, alive = std::weak_ptr<char>(alive_), step = ++step_number_](Result<Ctx> derived) {
            if (!alive.expired() && step == step_number_) derivation_done(std::move(derived));
          });
      if (begin_step(derivation.name, std::move(started))) return;
    }
    while (next_protocol_ < protocols_.size()) {
      const Protocol& protocol = *protocols_[next_protocol_++];
      if (!holds_all(ctx_, protocol.needs) || holds_any(ctx_, protocol.unless)) continue;
      ++protocols_tried_;
      auto started = protocol.connect(ctx_, loop_,
                                      [this, alive = std::weak_ptr<char>(alive_),
                                       step = ++step_number_](Result<Connected> connected) {
                                        if (!alive.expired() && step == step_number_)
                                          protocol_done(std::move(connected));
                                      });
      if (begin_step(protocol.name, std::move(started))) return;
    }
    fail_all();
  }

  // True when the step is under way; else its failure is recorded.
  bool begin_step(std::string_view name, Result<std::unique_ptr<Pending>> started) {
    step_name_ = name;
    if (!started) {
      attempts_.push_back({name, started.error()});
      return false;
    }
    step_ = std::move(*started);
    timer_ = loop_.add_timer_after(step_timeout_, [this] {
      timer_ = {};
      ++step_number_;  // a late callback from the step is ignored
      step_.reset();   // not calling back now: dropped at once
      attempts_.push_back({step_name_, Error{Errc::timed_out, "mimic: the step timed out"}});
      next_step();
    });
    return true;
  }

  // From the step's callback: the step's Pending may be the caller, so it is
  // dropped on the loop's next turn, not from within its own call; whatever
  // it reports later is ignored (its number is past).
  void end_step() {
    ++step_number_;
    if (timer_ != TimerId{}) loop_.cancel_timer(timer_);
    timer_ = {};
    if (step_) loop_.post([step = std::move(step_)] {});
  }

  void derivation_done(Result<Ctx> derived) {
    end_step();
    if (derived)
      ctx_ = std::move(*derived);
    else
      attempts_.push_back({step_name_, derived.error()});
    next_step();
  }

  void protocol_done(Result<Connected> connected) {
    end_step();
    if (!connected) {
      attempts_.push_back({step_name_, connected.error()});
      return next_step();
    }
    connected->protocol = step_name_;
    finish(Resolution(std::move(*connected)));
  }

  void fail_all() {
    ResolveFailure failure;
    failure.error = attempts_.empty() ? Error{Errc::not_supported,
                                              "mimic: no protocol has its keys in the context"}
                                      : attempts_.back().error;
    for (const Attempt& attempt : attempts_) {
      if (!failure.description.empty()) failure.description.append("; ");
      failure.description.append(attempt.name);
      failure.description.append(": ");
      failure.description.append(attempt.error.message);
    }
    if (protocols_tried_ == 0) {
      if (!failure.description.empty()) failure.description.append("; ");
      describe_missing_keys(failure.description);
    }
    failure.attempts = std::move(attempts_);
    finish(std::unexpected(std::move(failure)));
  }

  // "no protocol has its keys: tcp lacks port; unix lacks unix-path".
  void describe_missing_keys(Buffer& out) const {
    out.append("no protocol has its keys");
    const char* separator = ": ";
    for (const Protocol* protocol : protocols_) {
      out.append(separator);
      separator = "; ";
      out.append(protocol->name);
      bool lacks = false;
      for (const KeyBase* key : protocol->needs) {
        if (ctx_.contains(*key)) continue;
        out.append(lacks ? ", " : " lacks ");
        out.append(key->name());
        lacks = true;
      }
      for (const KeyBase* key : protocol->unless) {
        if (!ctx_.contains(*key)) continue;
        out.append(lacks ? ", " : " ");
        out.append("steps aside for ");
        out.append(key->name());
        lacks = true;
      }
    }
  }

  // `done` may destroy this state (its Resolving): nothing runs after it.
  void finish(Resolution resolution) {
    finished_ = true;
    Function<void(Resolution)> done = std::move(done_);
    done(std::move(resolution));
  }

  const Ctx registered_;  // keeps the protocols and derivations alive
  Ctx ctx_;               // with what derivations added
  Loop& loop_;
  Function<void(Resolution)> done_;
  std::uint64_t step_timeout_;
  std::vector<const Derivation*> derivations_;
  std::vector<const Protocol*> protocols_;
  std::size_t next_derivation_ = 0, next_protocol_ = 0, protocols_tried_ = 0;
  std::vector<Attempt> attempts_;
  std::string_view step_name_;
  std::unique_ptr<Pending> step_;
  std::uint64_t step_number_ = 0;  // the step under way; callbacks of others are stale
  TimerId timer_;
  bool finished_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

Resolving::Resolving() = default;
Resolving::Resolving(std::unique_ptr<State> state) : state_(std::move(state)) {}
Resolving::Resolving(Resolving&&) noexcept = default;
Resolving& Resolving::operator=(Resolving&&) noexcept = default;
Resolving::~Resolving() = default;

void Resolving::cancel() { state_.reset(); }

bool Resolving::pending() const { return state_ != nullptr && !state_->finished(); }

Resolving resolve(const Ctx& ctx, Loop& loop, Function<void(Resolution)> done) {
  auto state = std::make_unique<Resolving::State>(ctx, loop, std::move(done));
  state->start();
  return Resolving(std::move(state));
}

}  // namespace paf::mimic
