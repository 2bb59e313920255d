// The paf_yield-based backend (bare metal's), run on the POSIX platform.
#include "paf/platform_loop_backend.h"

#include <gtest/gtest.h>

namespace paf {
namespace {

TEST(PlatformLoopBackend, TimersFireAtTheirDeadlineThroughPafYield) {
  PlatformLoopBackend backend;
  Loop loop(backend);
  EXPECT_FALSE(backend.has_io_sources());
  std::uint64_t start = loop.now_ns();
  std::uint64_t fired_at = 0;
  loop.add_timer_after(milliseconds(25), [&] { fired_at = loop.now_ns(); });
  auto exit = loop.run_until(start + seconds(5));
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work);
  EXPECT_GE(fired_at - start, milliseconds(25));
  EXPECT_LT(fired_at - start, seconds(2));
}

TEST(PlatformLoopBackend, WatchedHandlesAreWorkAndOutOfRangeOnesRefused) {
  PlatformLoopBackend backend;
  EXPECT_FALSE(backend.watch(64, [] {}));
  ASSERT_TRUE(backend.watch(0, [] {}));
  EXPECT_TRUE(backend.has_io_sources());
  backend.unwatch(0);
  EXPECT_FALSE(backend.has_io_sources());
}

}  // namespace
}  // namespace paf
