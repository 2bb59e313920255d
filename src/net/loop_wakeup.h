// A one-shot wakeup that lwIP's callbacks may trigger: the call is posted on
// the loop, never made from inside lwIP (or from inside the call that armed
// it), and is dropped if its owner is gone first. Flows, listeners and the
// Stack's readiness all wait through one.
#ifndef PAF_SRC_NET_LOOP_WAKEUP_H
#define PAF_SRC_NET_LOOP_WAKEUP_H

#include <utility>

#include "paf/detail/anchor.h"
#include "paf/function.h"
#include "paf/loop.h"

namespace paf::net {

class LoopWakeup {
 public:
  explicit LoopWakeup(Loop& loop) : loop_(loop) {}
  LoopWakeup(const LoopWakeup&) = delete;
  LoopWakeup& operator=(const LoopWakeup&) = delete;

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
    loop_.post([alive = anchor_.ref()] {
      if (LoopWakeup* self = alive.get()) self->deliver();
    });
  }

 private:
  void deliver() {
    posted_ = false;
    fire_once(wakeup_);  // may destroy this: nothing after
  }

  Loop& loop_;
  Function<void()> wakeup_;
  bool posted_ = false;
  Anchor<LoopWakeup> anchor_{this};  // what posted deliveries hold
};

}  // namespace paf::net

#endif
