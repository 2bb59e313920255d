// paf-stress's log-linear histogram: every bucket maps back to the values in
// it, and percentiles over wide random distributions stay within 1% (0.4% by
// design) of the exact ones from the sorted values.
#include "latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace paf::tools {
namespace {

TEST(LatencyHistogram, BucketsTileTheRangeAndHoldTheirValues) {
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < LatencyHistogram::kBucketCount; ++i) {
    const std::uint64_t low = LatencyHistogram::lowest_of(i), width = LatencyHistogram::width_of(i);
    ASSERT_EQ(low, next) << "bucket " << i;
    ASSERT_EQ(LatencyHistogram::index_of(low), i);
    ASSERT_EQ(LatencyHistogram::index_of(low + (width - 1)), i);
    // A bucket is at most 1/128 of its lowest value wide.
    if (low >= 256) {
      ASSERT_LE(width * 128, low) << "bucket " << i;
    }
    next = low + width;  // wraps to 0 after the last
  }
  EXPECT_EQ(next, 0u);
  EXPECT_EQ(LatencyHistogram::index_of(UINT64_MAX), LatencyHistogram::kBucketCount - 1);
}

// Nearest-rank percentile of sorted values, as the histogram defines it.
std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, double percent) {
  auto rank = static_cast<std::size_t>(std::ceil(percent / 100 * double(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void expect_within_one_percent(std::vector<std::uint64_t> values) {
  LatencyHistogram histogram;
  for (std::uint64_t value : values) histogram.record(value);
  std::sort(values.begin(), values.end());
  ASSERT_EQ(histogram.count(), values.size());
  EXPECT_EQ(histogram.min(), values.front());
  EXPECT_EQ(histogram.max(), values.back());
  for (double percent : {1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99}) {
    const double exact = double(exact_percentile(values, percent));
    const double read = double(histogram.percentile(percent));
    EXPECT_LE(std::abs(read - exact), exact * 0.01) << "p" << percent;
    EXPECT_LE(std::abs(read - exact), exact * 0.004 + 1) << "p" << percent;  // the design bound
  }
  EXPECT_EQ(histogram.percentile(100), values.back());
}

TEST(LatencyHistogram, PercentilesOfALogNormalSpreadAreWithinOnePercent) {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency(std::log(2e6), 1.5);  // around 2 ms, wide tail
  std::vector<std::uint64_t> values(200000);
  for (auto& value : values) value = static_cast<std::uint64_t>(latency(random));
  expect_within_one_percent(std::move(values));
}

TEST(LatencyHistogram, PercentilesOverNineDecadesAreWithinOnePercent) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> exponent(2, 11);  // 100 ns .. 100 s, log-uniform
  std::vector<std::uint64_t> values(100000);
  for (auto& value : values) value = static_cast<std::uint64_t>(std::pow(10.0, exponent(random)));
  expect_within_one_percent(std::move(values));
}

TEST(LatencyHistogram, MergeIsTheSumOfItsParts) {
  LatencyHistogram a, b, both;
  for (std::uint64_t v = 1; v < 100000; v += 37) {
    (v % 2 ? a : b).record(v * 1000);
    both.record(v * 1000);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.min(), both.min());
  EXPECT_EQ(a.max(), both.max());
  for (double percent : {50.0, 90.0, 99.0})
    EXPECT_EQ(a.percentile(percent), both.percentile(percent));
}

}  // namespace
}  // namespace paf::tools
