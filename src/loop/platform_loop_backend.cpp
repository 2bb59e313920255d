#include "paf/platform_loop_backend.h"

#include <algorithm>
#include <utility>

namespace paf {
namespace {
constexpr paf_handle_t kMaxHandles = 64;  // a paf_handle_set_t has 64 bits
}

std::uint64_t PlatformLoopBackend::now_ns() { return paf_clock_monotonic(); }

Result<void> PlatformLoopBackend::watch(paf_handle_t handle, Function<void()> on_input) {
  if (handle >= kMaxHandles) return fail(Errc::invalid_argument, "device handle out of range");
  unwatch(handle);
  watchers_.push_back({handle, std::move(on_input)});
  return {};
}

void PlatformLoopBackend::unwatch(paf_handle_t handle) {
  std::erase_if(watchers_, [handle](const Watcher& w) { return w.handle == handle; });
}

Result<void> PlatformLoopBackend::wait(std::uint64_t deadline_ns) {
  paf_handle_set_t ready = 0;
  paf_yield(deadline_ns, &ready);
  // A watcher may unwatch itself or others: look each ready handle up afresh.
  for (paf_handle_t handle = 0; handle < kMaxHandles && ready != 0; ++handle) {
    paf_handle_set_t bit = paf_handle_set_t{1} << handle;
    if ((ready & bit) == 0) continue;
    ready &= ~bit;
    auto it = std::find_if(watchers_.begin(), watchers_.end(),
                           [handle](const Watcher& w) { return w.handle == handle; });
    if (it == watchers_.end()) continue;
    Function<void()> on_input = std::move(it->on_input);
    it->on_input = nullptr;  // marks "running": a moved-from function need not be empty
    on_input();
    // Put the handler back unless it was unwatched or replaced meanwhile.
    it = std::find_if(watchers_.begin(), watchers_.end(),
                      [handle](const Watcher& w) { return w.handle == handle; });
    if (it != watchers_.end() && !it->on_input) it->on_input = std::move(on_input);
  }
  return {};
}

}  // namespace paf
