// Stream connections as Mimic steps: waiting for one connect, and racing
// several addresses as RFC 8305 (Happy Eyeballs) does.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/mimic.h"

namespace paf::mimic {
namespace {

// A flow that connects is writable first; an empty writev then tells which
// way it went (0: up, would_block: not yet, an error: failed), for any Flow.
class ConnectWait final : public Pending {
 public:
  ConnectWait(std::unique_ptr<Flow> flow, Function<void(Result<std::unique_ptr<Flow>>)> done)
      : flow_(std::move(flow)), done_(std::move(done)) {}

  void arm() {
    flow_->when_writable([this, alive = std::weak_ptr<char>(alive_)] {
      if (!alive.expired()) check();
    });
  }

 private:
  void check() {
    Result<std::size_t> probe = flow_->writev(std::span<const Bytes>{});
    if (!probe && probe.error().code == Errc::would_block) return arm();
    Result<std::unique_ptr<Flow>> outcome = std::move(flow_);
    if (!probe) {
      (*outcome)->close();
      outcome = std::unexpected(probe.error());
    }
    // `done` may destroy this object: nothing runs after it.
    Function<void(Result<std::unique_ptr<Flow>>)> done = std::move(done_);
    done(std::move(outcome));
  }

  std::unique_ptr<Flow> flow_;
  Function<void(Result<std::unique_ptr<Flow>>)> done_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

bool is_ipv6(const Buffer& address) { return address.view().find(':') != std::string_view::npos; }

// RFC 8305 §4: alternate the families, the first address's family first.
std::vector<Buffer> interleave_families(const std::vector<Buffer>& addresses) {
  if (addresses.empty()) return {};
  bool first_v6 = is_ipv6(addresses.front());
  std::vector<Buffer> preferred, other, ordered;
  for (const Buffer& address : addresses)
    (is_ipv6(address) == first_v6 ? preferred : other).push_back(address);
  for (std::size_t i = 0; i < preferred.size() || i < other.size(); ++i) {
    if (i < preferred.size()) ordered.push_back(preferred[i]);
    if (i < other.size()) ordered.push_back(other[i]);
  }
  return ordered;
}

// Connection attempts to a list of addresses, started in order, one every
// attempt_delay or as soon as none is in flight; the first up wins.
class AddressRace final : public Pending {
 public:
  AddressRace(Loop& loop, std::shared_ptr<const ConnectAddress> connect,
              std::vector<Buffer> addresses, std::uint16_t port, HappyEyeballs options,
              Function<void(Result<Connected>)> done)
      : loop_(loop),
        connect_(std::move(connect)),
        addresses_(std::move(addresses)),
        port_(port),
        options_(options),
        done_(std::move(done)) {}
  AddressRace(const AddressRace&) = delete;
  AddressRace& operator=(const AddressRace&) = delete;
  ~AddressRace() override {
    cancel_timer(delay_timer_);
    for (InFlight& attempt : attempts_) cancel_timer(attempt.timeout);
  }

  // From the loop: the first attempt, and the failures of those that fail at once.
  void start() {
    loop_.post([this, alive = std::weak_ptr<char>(alive_)] {
      if (!alive.expired()) start_next();
    });
  }

 private:
  struct InFlight {
    std::uint64_t id;
    std::unique_ptr<Pending> wait;
    TimerId timeout;
  };

  void cancel_timer(TimerId& timer) {
    if (timer != TimerId{}) loop_.cancel_timer(timer);
    timer = {};
  }

  // Starts the next address that can be started; ends the race when none is
  // left and nothing is in flight.
  void start_next() {
    cancel_timer(delay_timer_);
    while (next_ < addresses_.size()) {
      const Buffer& address = addresses_[next_++];
      auto flow = (*connect_)(address.view(), port_);
      if (!flow) {
        last_error_ = flow.error();
        continue;
      }
      std::uint64_t id = next_id_++;
      std::weak_ptr<char> alive = alive_;
      auto wait = await_connected(std::move(*flow),
                                  [this, alive, id](Result<std::unique_ptr<Flow>> outcome) {
                                    if (!alive.expired())
                                      attempt_done(id, std::move(outcome), true);
                                  });
      TimerId timeout = loop_.add_timer_after(options_.attempt_timeout, [this, id] {
        for (InFlight& attempt : attempts_)
          if (attempt.id == id) attempt.timeout = {};
        attempt_done(id, std::unexpected(Error{Errc::timed_out, "tcp: connect timed out"}), false);
      });
      attempts_.push_back({id, std::move(wait), timeout});
      if (next_ < addresses_.size())
        delay_timer_ = loop_.add_timer_after(options_.attempt_delay, [this] {
          delay_timer_ = {};
          start_next();
        });
      return;
    }
    if (attempts_.empty()) finish(std::unexpected(last_error_));
  }

  // An attempt ended: from its wait's callback (`wait` is then the caller), or
  // by its timeout. One that ended already is not heard again.
  void attempt_done(std::uint64_t id, Result<std::unique_ptr<Flow>> outcome, bool from_wait) {
    auto ended = std::find_if(attempts_.begin(), attempts_.end(),
                              [id](const InFlight& attempt) { return attempt.id == id; });
    if (ended == attempts_.end()) return;
    cancel_timer(ended->timeout);
    std::unique_ptr<Pending> wait = std::move(ended->wait);
    attempts_.erase(ended);
    if (from_wait)
      loop_.post([wait = std::move(wait)] {});  // dropped on the loop's next turn
    else
      wait.reset();
    if (outcome) {
      for (InFlight& loser : attempts_) cancel_timer(loser.timeout);
      attempts_.clear();
      cancel_timer(delay_timer_);
      return finish(Connected{std::move(*outcome), nullptr, {}});
    }
    last_error_ = outcome.error();
    if (attempts_.empty()) start_next();  // none in flight: no reason to wait
  }

  // `done` may destroy this object: nothing runs after it.
  void finish(Result<Connected> result) {
    Function<void(Result<Connected>)> done = std::move(done_);
    done(std::move(result));
  }

  Loop& loop_;
  std::shared_ptr<const ConnectAddress> connect_;
  std::vector<Buffer> addresses_;
  std::uint16_t port_;
  HappyEyeballs options_;
  Function<void(Result<Connected>)> done_;
  std::size_t next_ = 0;
  std::uint64_t next_id_ = 1;
  std::vector<InFlight> attempts_;
  TimerId delay_timer_;
  Error last_error_{Errc::invalid_argument, "tcp: no address to connect to"};
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace

std::unique_ptr<Pending> await_connected(std::unique_ptr<Flow> flow,
                                         Function<void(Result<std::unique_ptr<Flow>>)> done) {
  auto wait = std::make_unique<ConnectWait>(std::move(flow), std::move(done));
  wait->arm();
  return wait;
}

Protocol tcp_protocol(std::string_view name, int priority, ConnectAddress connect_address,
                      HappyEyeballs options) {
  auto connect = std::make_shared<const ConnectAddress>(std::move(connect_address));
  return Protocol{name,
                  priority,
                  {&keys::addresses, &keys::port},
                  {&keys::tls},
                  [connect, options](
                      const Ctx& ctx, Loop& loop,
                      Function<void(Result<Connected>)> done) -> Result<std::unique_ptr<Pending>> {
                    auto race = std::make_unique<AddressRace>(
                        loop, connect, interleave_families(*ctx.find(keys::addresses)),
                        *ctx.find(keys::port), options, std::move(done));
                    race->start();
                    return race;
                  }};
}

}  // namespace paf::mimic
