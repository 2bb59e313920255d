// A one-shot wakeup that lwIP's callbacks may trigger: the call is posted on
// the loop, never made from inside lwIP (or from inside the call that armed
// it), and is dropped if its owner is gone first. Flows, listeners and the
// Stack's readiness all wait through one.
#ifndef PAF_SRC_NET_LOOP_WAKEUP_H
#define PAF_SRC_NET_LOOP_WAKEUP_H

#include <memory>
#include <utility>

#include "paf/function.h"
#include "paf/loop.h"

namespace paf::net {

class LoopWakeup {
 public:
  explicit LoopWakeup(Loop& loop) : loop_(loop), owner_(std::make_shared<LoopWakeup*>(this)) {}
  LoopWakeup(const LoopWakeup&) = delete;
  LoopWakeup& operator=(const LoopWakeup&) = delete;
  ~LoopWakeup() { *owner_ = nullptr; }

  // Replaces the pending wakeup; `ready_now` says whether its condition holds
  // already (then it is delivered on a later turn).
  void arm(Function<void()> wakeup, bool ready_now) {
    wakeup_ = std::move(wakeup);
    if (ready_now) trigger();
  }
  // Forgets the pending wakeup without calling it.
  void drop() { wakeup_ = nullptr; }
  // Whether a wakeup is pending (armed, not yet delivered).
  bool armed() const { return static_cast<bool>(wakeup_); }

  // The condition may hold now: deliver the pending wakeup from the loop.
  void trigger() {
    if (!wakeup_ || posted_) return;
    posted_ = true;
    loop_.post([owner = owner_] {
      if (*owner != nullptr) (*owner)->deliver();
    });
  }

 private:
  void deliver() {
    posted_ = false;
    if (!wakeup_) return;
    Function<void()> once = std::move(wakeup_);
    wakeup_ = nullptr;
    once();  // may destroy this: nothing after
  }

  Loop& loop_;
  std::shared_ptr<LoopWakeup*> owner_;  // what posted deliveries see; null once gone
  Function<void()> wakeup_;
  bool posted_ = false;
};

}  // namespace paf::net

#endif
