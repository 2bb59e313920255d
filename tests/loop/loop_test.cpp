#include "paf/loop.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace paf {
namespace {

TEST(Loop, TimersFireInDeadlineOrderThenInAddOrder) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  std::vector<int> fired;
  loop.add_timer_at(milliseconds(30), [&] { fired.push_back(30); });
  loop.add_timer_at(milliseconds(10), [&] { fired.push_back(10); });
  loop.add_timer_at(milliseconds(20), [&] { fired.push_back(20); });
  loop.add_timer_at(milliseconds(20), [&] { fired.push_back(21); });
  auto exit = loop.run();
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(*exit, LoopExit::no_more_work);
  EXPECT_EQ(fired, (std::vector<int>{10, 20, 21, 30}));
  EXPECT_EQ(loop.now_ns(), milliseconds(30));
}

TEST(Loop, TimerNeverFiresBeforeItsDeadline) {
  SimulatedTimeBackend clock(seconds(5));
  Loop loop(clock);
  std::vector<std::uint64_t> lateness;
  for (std::uint64_t delay : {0ull, 1ull, 999'999ull, 1'000'000ull, 7'000'000'000ull}) {
    std::uint64_t deadline = loop.now_ns() + delay;
    loop.add_timer_after(delay, [&, deadline] { lateness.push_back(loop.now_ns() - deadline); });
  }
  ASSERT_TRUE(loop.run());
  ASSERT_EQ(lateness.size(), 5u);
  for (std::uint64_t late : lateness) EXPECT_EQ(late, 0u);  // simulated time is exact
}

TEST(Loop, CancelledTimerNeverFires) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  bool kept = false, cancelled = false;
  loop.add_timer_after(milliseconds(1), [&] { kept = true; });
  TimerId timer = loop.add_timer_after(milliseconds(2), [&] { cancelled = true; });
  EXPECT_EQ(loop.timer_count(), 2u);
  EXPECT_TRUE(loop.cancel_timer(timer));
  EXPECT_FALSE(loop.cancel_timer(timer)) << "a timer is cancelled once";
  EXPECT_FALSE(loop.cancel_timer(TimerId{})) << "the default id names no timer";
  EXPECT_EQ(loop.timer_count(), 1u);
  ASSERT_TRUE(loop.run());
  EXPECT_TRUE(kept);
  EXPECT_FALSE(cancelled);
}

TEST(Loop, CancellingAFiredTimerDoesNothing) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  int fired = 0;
  TimerId first = loop.add_timer_after(1, [&] { ++fired; });
  ASSERT_TRUE(loop.run());
  // The slot is reused by the next timer; the old id must not reach it.
  loop.add_timer_after(1, [&] { ++fired; });
  EXPECT_FALSE(loop.cancel_timer(first));
  ASSERT_TRUE(loop.run());
  EXPECT_EQ(fired, 2);
}

TEST(Loop, TimerCancelledByAnEarlierTimerOfTheSameTurnDoesNotFire) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  bool second_fired = false;
  TimerId second;
  loop.add_timer_at(10, [&] { EXPECT_TRUE(loop.cancel_timer(second)); });
  second = loop.add_timer_at(10, [&] { second_fired = true; });
  ASSERT_TRUE(loop.run());
  EXPECT_FALSE(second_fired);
}

TEST(Loop, TimerReaddingItselfWithNoDelayFiresOncePerTurn) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  int fired = 0;
  int posted_ran = 0;
  Function<void()> again = [&] {
    ++fired;
    loop.post([&] { ++posted_ran; });  // must get a turn between two firings
    if (fired < 5) loop.add_timer_after(0, [&] { again(); });
  };
  loop.add_timer_after(0, [&] { again(); });
  ASSERT_TRUE(loop.run());
  EXPECT_EQ(fired, 5);
  EXPECT_EQ(posted_ran, 5);
}

TEST(Loop, ManyTimersWithHalfCancelledFireInOrder) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  std::mt19937_64 random(42);
  std::vector<std::uint64_t> fired;
  std::vector<TimerId> ids;
  for (int i = 0; i < 2000; ++i) {
    std::uint64_t deadline = random() % seconds(10);
    ids.push_back(loop.add_timer_at(deadline, [&fired, &loop] { fired.push_back(loop.now_ns()); }));
  }
  for (std::size_t i = 0; i < ids.size(); i += 2) ASSERT_TRUE(loop.cancel_timer(ids[i]));
  EXPECT_EQ(loop.timer_count(), 1000u);
  ASSERT_TRUE(loop.run());
  ASSERT_EQ(fired.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(fired.begin(), fired.end()));
}

TEST(Loop, PostedCallbacksRunInOrderAndThoseTheyPostRunOnALaterTurn) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  std::vector<int> ran;
  loop.post([&] {
    ran.push_back(1);
    loop.post([&] { ran.push_back(3); });
  });
  loop.post([&] { ran.push_back(2); });
  EXPECT_TRUE(ran.empty()) << "post never runs the callback itself";
  ASSERT_TRUE(loop.run());
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
}

TEST(Loop, PostedCallbacksRunBeforeTimeMoves) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  std::uint64_t posted_at = UINT64_MAX;
  loop.add_timer_after(seconds(1), [] {});
  loop.post([&] { posted_at = loop.now_ns(); });
  ASSERT_TRUE(loop.run());
  EXPECT_EQ(posted_at, 0u);
}

TEST(Loop, StopReturnsAfterTheRunningCallbackAndKeepsTheRest) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  std::vector<int> ran;
  loop.post([&] {
    ran.push_back(1);
    loop.stop();
  });
  loop.post([&] { ran.push_back(2); });
  auto exit = loop.run();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::stopped);
  EXPECT_EQ(ran, (std::vector<int>{1}));
  exit = loop.run();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work);
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST(Loop, StopFromATimerLeavesLaterTimersPending) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  loop.add_timer_at(10, [&] { loop.stop(); });
  loop.add_timer_at(20, [] {});
  auto exit = loop.run();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::stopped);
  EXPECT_EQ(loop.timer_count(), 1u);
  EXPECT_TRUE(loop.has_work());
}

TEST(Loop, RunUntilReturnsAtItsDeadlineLeavingLaterTimers) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  bool early = false, late = false;
  loop.add_timer_at(seconds(1), [&] { early = true; });
  loop.add_timer_at(seconds(10), [&] { late = true; });
  auto exit = loop.run_until(seconds(5));
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::deadline_reached);
  EXPECT_TRUE(early);
  EXPECT_FALSE(late);
  EXPECT_EQ(loop.now_ns(), seconds(5));
}

TEST(Loop, EmptyLoopHasNoMoreWork) {
  SimulatedTimeBackend clock;
  Loop loop(clock);
  EXPECT_FALSE(loop.has_work());
  auto exit = loop.run();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work);
}

TEST(Loop, DestroyingTheLoopDropsCallbacksUncalled) {
  SimulatedTimeBackend clock;
  int called = 0;
  {
    Loop loop(clock);
    loop.post([&] { ++called; });
    loop.add_timer_after(1, [&] { ++called; });
  }
  EXPECT_EQ(called, 0);
}

// A backend whose wait fails, as epoll_wait might.
class FailingBackend final : public LoopBackend {
 public:
  std::uint64_t now_ns() override { return 0; }
  Result<void> wait(std::uint64_t) override { return fail(Errc::io_error, "wait failed", 5); }
  bool has_io_sources() const override { return true; }
};

TEST(Loop, BackendFailureEndsRunWithTheError) {
  FailingBackend backend;
  Loop loop(backend);
  auto exit = loop.run();
  ASSERT_FALSE(exit);
  EXPECT_EQ(exit.error().code, Errc::io_error);
  EXPECT_EQ(exit.error().detail, 5);
}

TEST(SimulatedTimeBackend, WaitJumpsToTheDeadlineAndRefusesForever) {
  SimulatedTimeBackend clock(100);
  ASSERT_TRUE(clock.wait(50));
  EXPECT_EQ(clock.now_ns(), 100u) << "time never goes backwards";
  ASSERT_TRUE(clock.wait(250));
  EXPECT_EQ(clock.now_ns(), 250u);
  clock.advance(10);
  EXPECT_EQ(clock.now_ns(), 260u);
  EXPECT_FALSE(clock.wait(UINT64_MAX));
}

}  // namespace
}  // namespace paf
