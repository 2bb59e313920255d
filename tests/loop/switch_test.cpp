#include "paf/switch.h"

#include <gtest/gtest.h>

#include <vector>

namespace paf {
namespace {

TEST(Switch, TurningOffCallsEachHookOnceInOrder) {
  Switch stop;
  std::vector<int> called;
  stop.on_turn_off([&] { called.push_back(1); });
  stop.on_turn_off([&] { called.push_back(2); });
  EXPECT_TRUE(stop.is_on());
  stop.turn_off();
  EXPECT_FALSE(stop.is_on());
  stop.turn_off();
  EXPECT_EQ(called, (std::vector<int>{1, 2}));
}

TEST(Switch, HookOnASwitchAlreadyOffRunsAtOnce) {
  Switch stop;
  stop.turn_off();
  int called = 0;
  Switch::HookId id = stop.on_turn_off([&] { ++called; });
  EXPECT_EQ(called, 1);
  EXPECT_EQ(id, Switch::HookId{});
}

TEST(Switch, RemovedHookIsNotCalled) {
  Switch stop;
  int removed = 0, kept = 0;
  Switch::HookId id = stop.on_turn_off([&] { ++removed; });
  stop.on_turn_off([&] { ++kept; });
  stop.remove_hook(id);
  stop.remove_hook(id);             // twice: ignored
  stop.remove_hook(Switch::HookId{});  // unknown: ignored
  stop.turn_off();
  EXPECT_EQ(removed, 0);
  EXPECT_EQ(kept, 1);
}

TEST(Switch, HooksMayRemoveAndAddHooksWhileTheSwitchTurnsOff) {
  Switch stop;
  std::vector<int> called;
  Switch::HookId later;
  stop.on_turn_off([&] {
    called.push_back(1);
    stop.remove_hook(later);
    stop.on_turn_off([&] { called.push_back(3); });  // switch is off: runs now
  });
  later = stop.on_turn_off([&] { called.push_back(2); });
  stop.turn_off();
  EXPECT_EQ(called, (std::vector<int>{1, 3}));
}

TEST(Switch, DestroyedSwitchDropsItsHooks) {
  int called = 0;
  {
    Switch stop;
    stop.on_turn_off([&] { ++called; });
  }
  EXPECT_EQ(called, 0);
}

}  // namespace
}  // namespace paf
