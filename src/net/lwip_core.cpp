#include "lwip_core.h"

#include <cstdint>

#include "lwip/init.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "paf/platform.h"

namespace paf::net {
namespace {

constexpr std::uint64_t kNanosecondsPerMillisecond = 1'000'000;

// lwIP's globals have one owner: this.
struct Core {
  bool initialized = false;
  Loop* loop = nullptr;
  int stacks = 0;
  // sys_now() = loop time + offset, so lwIP's clock never goes back when a
  // new loop (with its own time origin) takes over.
  std::uint32_t offset_ms = 0;
  std::uint32_t last_now_ms = 0;
  TimerId timer;
  std::uint64_t timer_deadline_ns = 0;
  bool timer_armed = false;
};

Core core;

std::uint64_t loop_milliseconds() { return core.loop->now_ns() / kNanosecondsPerMillisecond; }

void cancel_timer() {
  if (core.timer_armed) core.loop->cancel_timer(core.timer);
  core.timer_armed = false;
}

void rearm_timer();

void on_timer() {
  core.timer_armed = false;
  sys_check_timeouts();
  rearm_timer();
}

// Arms the loop timer at lwIP's next timeout, unless it is armed no later.
void rearm_timer() {
  if (core.loop == nullptr) return;
  std::uint32_t sleep_ms = sys_timeouts_sleeptime();
  if (sleep_ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE) return cancel_timer();
  std::uint64_t deadline = (loop_milliseconds() + sleep_ms) * kNanosecondsPerMillisecond;
  if (core.timer_armed && core.timer_deadline_ns <= deadline) return;
  cancel_timer();
  core.timer = core.loop->add_timer_at(deadline, on_timer);
  core.timer_deadline_ns = deadline;
  core.timer_armed = true;
}

}  // namespace

Result<void> attach_lwip(Loop& loop) {
  if (core.loop != nullptr && core.loop != &loop)
    return fail(Errc::invalid_argument, "net: every Stack of a process must use the same loop");
  if (core.loop == nullptr) {
    core.loop = &loop;
    core.offset_ms = core.last_now_ms - static_cast<std::uint32_t>(loop_milliseconds());
  }
  if (!core.initialized) {
    lwip_init();
    core.initialized = true;
  }
  ++core.stacks;
  rearm_timer();
  return {};
}

void detach_lwip() {
  if (core.stacks == 0 || --core.stacks > 0) return;
  core.last_now_ms = sys_now();
  cancel_timer();
  core.loop = nullptr;
}

Loop* lwip_loop() { return core.loop; }

LwipCall::~LwipCall() { rearm_timer(); }

}  // namespace paf::net

// lwIP's NO_SYS port: its clock, in milliseconds (wrapping), and its random
// numbers (TCP initial sequence numbers, ports, DHCP and DNS ids).
extern "C" u32_t sys_now(void) {
  using paf::net::core;
  if (core.loop == nullptr) return core.last_now_ms;
  return core.offset_ms + static_cast<std::uint32_t>(paf::net::loop_milliseconds());
}

extern "C" uint32_t paf_lwip_random(void) {
  // Without an entropy source the value is still varied, just guessable.
  static std::uint32_t fallback = 2463534242u;
  std::uint32_t value;
  if (paf_entropy(&value, sizeof value) == PAF_R_OK) return value;
  fallback ^= fallback << 13, fallback ^= fallback >> 17, fallback ^= fallback << 5;
  return fallback;
}
