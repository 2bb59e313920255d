// gmtime_r and timegm against glibc, and time() over the platform clock.
#include <gtest/gtest.h>

#include <climits>
#include <ctime>
#include <random>

#include "libc_under_test.h"

namespace {

void expect_same_as_glibc(long t) {
  paf_test_tm ours{};
  std::tm theirs{};
  time_t tt = t;
  ASSERT_NE(gmtime_r(&tt, &theirs), nullptr);
  ASSERT_NE(paf_test_gmtime_r(&t, &ours), nullptr) << t;
  EXPECT_EQ(ours.tm_year, theirs.tm_year) << t;
  EXPECT_EQ(ours.tm_mon, theirs.tm_mon) << t;
  EXPECT_EQ(ours.tm_mday, theirs.tm_mday) << t;
  EXPECT_EQ(ours.tm_hour, theirs.tm_hour) << t;
  EXPECT_EQ(ours.tm_min, theirs.tm_min) << t;
  EXPECT_EQ(ours.tm_sec, theirs.tm_sec) << t;
  EXPECT_EQ(ours.tm_wday, theirs.tm_wday) << t;
  EXPECT_EQ(ours.tm_yday, theirs.tm_yday) << t;
  EXPECT_EQ(ours.tm_isdst, 0);
  paf_test_tm copy = ours;
  EXPECT_EQ(paf_test_timegm(&copy), t);
}

TEST(Gmtime, MatchesGlibc) {
  for (long t : {0L, 1L, -1L, 59L, 86399L, 86400L, 951782400L /* 2000-02-29 */,
                 951868800L, 1709164800L /* 2024-02-29 */, 2147483647L, 2147483648L, -2147483648L,
                 4102444800L /* 2100-01-01 */, 253402300799L /* 9999-12-31 */, -62135596800L}) {
    expect_same_as_glibc(t);
  }
  std::mt19937_64 rng(99);
  for (int i = 0; i < 100000; i++) {
    long t = static_cast<long>(rng() % 40000000000ULL) - 20000000000L;
    expect_same_as_glibc(t);
  }
}

TEST(Gmtime, ReportsYearOverflow) {
  long t = LONG_MAX;
  paf_test_tm tm{};
  EXPECT_EQ(paf_test_gmtime_r(&t, &tm), nullptr);
}

TEST(Timegm, NormalisesOutOfRangeFields) {
  paf_test_tm tm{};
  tm.tm_year = 124;  // 2024
  tm.tm_mon = 13;    // February of 2025
  tm.tm_mday = 30;   // ... the 30th: March 2nd
  tm.tm_hour = 25;   // ... plus a day and an hour
  long t = paf_test_timegm(&tm);
  EXPECT_EQ(tm.tm_year, 125);
  EXPECT_EQ(tm.tm_mon, 2);
  EXPECT_EQ(tm.tm_mday, 3);
  EXPECT_EQ(tm.tm_hour, 1);
  EXPECT_EQ(t, 1740963600L);
}

TEST(Time, ReadsThePlatformWallClock) {
  fake_platform::wall_clock_ns = 1700000000123456789ULL;
  long out = 0;
  EXPECT_EQ(paf_test_time(&out), 1700000000L);
  EXPECT_EQ(out, 1700000000L);
}

}  // namespace
