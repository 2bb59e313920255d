// The one lwIP of the process, bound to the loop of its Stacks: lwIP's
// initialization (once), its clock (sys_now), and its timers, run by a Loop
// timer armed at lwIP's next deadline.
#ifndef PAF_SRC_NET_LWIP_CORE_H
#define PAF_SRC_NET_LWIP_CORE_H

#include "paf/loop.h"
#include "paf/result.h"

namespace paf::net {

// Binds lwIP to `loop` for one more Stack (initializing lwIP the first time).
// Fails when Stacks already run lwIP on another loop.
Result<void> attach_lwip(Loop& loop);
// One Stack fewer; with none left, lwIP's timers stop and the loop is released.
void detach_lwip();
// The loop lwIP runs on, or null while no Stack exists.
Loop* lwip_loop();

// Marks a call into lwIP from outside lwIP's own callbacks. On leaving it
// re-arms the loop timer: the call may have added an earlier lwIP timeout
// (TCP's timer once a connection is active, a DHCP or DNS retry).
class LwipCall {
 public:
  LwipCall() = default;
  LwipCall(const LwipCall&) = delete;
  LwipCall& operator=(const LwipCall&) = delete;
  ~LwipCall();
};

}  // namespace paf::net

#endif
