// The loop backend over the platform contract alone: time from
// paf_clock_monotonic(), waiting with paf_yield(). This is the bare-metal
// backend: the network glue watches its device handle and feeds lwIP the
// frames when told input is ready. On a host it works too (paf_yield sleeps).
#ifndef PAF_PLATFORM_LOOP_BACKEND_H
#define PAF_PLATFORM_LOOP_BACKEND_H

#include <cstdint>
#include <vector>

#include "paf/function.h"
#include "paf/loop.h"
#include "paf/platform.h"
#include "paf/result.h"

namespace paf {

class PlatformLoopBackend final : public LoopBackend {
 public:
  std::uint64_t now_ns() override;
  Result<void> wait(std::uint64_t deadline_ns) override;
  bool has_io_sources() const override { return !watchers_.empty(); }

  // Calls `on_input` after each wait() in which `handle` had input ready.
  // One watcher per handle; watching a handle again replaces its watcher.
  Result<void> watch(paf_handle_t handle, Function<void()> on_input);
  void unwatch(paf_handle_t handle);

 private:
  struct Watcher {
    paf_handle_t handle;
    Function<void()> on_input;
  };
  std::vector<Watcher> watchers_;
};

}  // namespace paf

#endif
