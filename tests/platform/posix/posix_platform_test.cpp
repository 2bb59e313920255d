// The POSIX platform against the contract of include/paf/platform.h.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <string>
#include <thread>

#include "paf/platform.h"
#include "paf/posix/net_tap.h"

namespace {

constexpr std::uint64_t kMillisecond = 1'000'000;

TEST(PosixClock, MonotonicNeverGoesBackAndFollowsSleep) {
  std::uint64_t previous = paf_clock_monotonic();
  for (int i = 0; i < 10000; ++i) {
    std::uint64_t now = paf_clock_monotonic();
    ASSERT_GE(now, previous);
    previous = now;
  }
  std::uint64_t before = paf_clock_monotonic();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::uint64_t elapsed = paf_clock_monotonic() - before;
  EXPECT_GE(elapsed, 20 * kMillisecond);
  EXPECT_LT(elapsed, 5000 * kMillisecond);
}

TEST(PosixClock, WallIsTheDateInNanosecondsSinceTheEpoch) {
  std::uint64_t wall = paf_clock_wall();
  auto system_ns = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch()).count());
  EXPECT_GT(wall, 1'577'836'800ull * 1'000'000'000ull);  // after 2020-01-01
  EXPECT_LT(wall, 4'102'444'800ull * 1'000'000'000ull);  // before 2100-01-01
  std::uint64_t difference = wall > system_ns ? wall - system_ns : system_ns - wall;
  EXPECT_LT(difference, 1000 * kMillisecond);
}

TEST(PosixEntropy, FillsBuffersWithDifferentBytes) {
  std::array<std::uint8_t, 32> first{}, second{}, zero{};
  ASSERT_EQ(paf_entropy(first.data(), first.size()), PAF_R_OK);
  ASSERT_EQ(paf_entropy(second.data(), second.size()), PAF_R_OK);
  EXPECT_NE(first, zero);
  EXPECT_NE(first, second);
  EXPECT_EQ(paf_entropy(nullptr, 0), PAF_R_OK);
  std::array<std::uint8_t, 1 << 16> large{};  // more than one getrandom call may give
  ASSERT_EQ(paf_entropy(large.data(), large.size()), PAF_R_OK);
  int zeros = 0;
  for (std::uint8_t byte : large) zeros += byte == 0;
  EXPECT_LT(zeros, 1000);  // ~256 expected
}

TEST(PosixYield, SleepsUntilItsDeadline) {
  std::uint64_t start = paf_clock_monotonic();
  std::uint64_t deadline = start + 30 * kMillisecond;
  paf_handle_set_t ready = ~paf_handle_set_t{0};
  paf_yield(deadline, &ready);
  std::uint64_t end = paf_clock_monotonic();
  EXPECT_GE(end, deadline);
  EXPECT_LT(end - deadline, 1000 * kMillisecond);
  EXPECT_EQ(ready, 0u) << "no device, so none is ready";
}

TEST(PosixYield, PastDeadlineReturnsAtOnce) {
  std::uint64_t start = paf_clock_monotonic();
  paf_yield(start > 1000 ? start - 1000 : 0, nullptr);
  paf_yield(0, nullptr);
  EXPECT_LT(paf_clock_monotonic() - start, 100 * kMillisecond);
}

TEST(PosixNet, NoDeviceIsConfiguredAndTheLogSaysSo) {
  paf_handle_t handle = 0;
  paf_net_info info{};
  testing::internal::CaptureStdout();
  EXPECT_EQ(paf_net_acquire("service0", &handle, &info), PAF_R_EINVAL);
  std::string log = testing::internal::GetCapturedStdout();
  EXPECT_NE(log.find("no network device \"service0\""), std::string::npos) << log;
  std::array<std::uint8_t, 1514> frame{};
  std::size_t size = 0;
  EXPECT_EQ(paf_net_read(0, frame.data(), frame.size(), &size), PAF_R_EINVAL);
  EXPECT_EQ(paf_net_write(0, frame.data(), 60), PAF_R_EINVAL);
}

TEST(PosixNet, BindsEachDeviceNameToATapInterfaceOnce) {
  EXPECT_EQ(paf_posix_net_bind_tap("", "tap0"), PAF_R_EINVAL);
  EXPECT_EQ(paf_posix_net_bind_tap("bind-test", ""), PAF_R_EINVAL);
  EXPECT_EQ(paf_posix_net_bind_tap("bind-test", "sixteen-chars-xx"),
            PAF_R_EINVAL);  // > IFNAMSIZ - 1
  EXPECT_EQ(paf_posix_net_bind_tap("bind-test", "bad/name"), PAF_R_OK);
  EXPECT_EQ(paf_posix_net_bind_tap("bind-test", "tap1"), PAF_R_EINVAL);  // bound already
}

// The interface is opened when the device is acquired: one the kernel refuses
// (no TAP may be called so) fails then, and the log says why.
TEST(PosixNet, AcquiringATapInterfaceThatCannotBeOpenedFails) {
  ASSERT_EQ(paf_posix_net_bind_tap("unopenable", "no/such/tap"), PAF_R_OK);
  paf_handle_t handle = 0;
  paf_net_info info{};
  testing::internal::CaptureStdout();
  EXPECT_EQ(paf_net_acquire("unopenable", &handle, &info), PAF_R_EINVAL);
  std::string log = testing::internal::GetCapturedStdout();
  EXPECT_NE(log.find("cannot open TAP interface no/such/tap"), std::string::npos) << log;
  paf_handle_set_t ready = ~paf_handle_set_t{0};
  paf_yield(0, &ready);  // no device acquired: nothing to be ready
  EXPECT_EQ(ready, 0u);
}

TEST(PosixConsole, WritesEveryByteToStandardOutput) {
  std::string text(100000, 'x');
  text += "end\n";
  testing::internal::CaptureStdout();
  paf_console_write(text.data(), text.size());
  paf_console_write("", 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), text);
}

TEST(PosixExitDeathTest, ExitEndsWithTheStatus) {
  EXPECT_EXIT(paf_exit(7), testing::ExitedWithCode(7), "");
  EXPECT_EXIT(paf_exit(0), testing::ExitedWithCode(0), "");
}

TEST(PosixExitDeathTest, AbortEndsAbnormally) {
  EXPECT_EXIT(paf_abort(), testing::KilledBySignal(SIGABRT), "");
}

}  // namespace
