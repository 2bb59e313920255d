// Latencies in nanoseconds counted in a log-linear histogram (as HdrHistogram
// does): values below 256 ns are exact; above, each power of two is split in
// 128 equal buckets, so a bucket is at most 1/128 of its values wide and a
// value read back (its bucket's middle) is within 0.4% of any value counted
// in it. Fixed memory (7,424 counters) whatever the count or the range.
#ifndef PAF_TOOLS_LATENCY_HISTOGRAM_H
#define PAF_TOOLS_LATENCY_HISTOGRAM_H

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace paf::tools {

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBits = 7;  // 128 buckets per power of two
  static constexpr std::uint64_t kSubCount = std::uint64_t{1} << kSubBits;
  static constexpr std::size_t kBucketCount = 2 * kSubCount + (63 - kSubBits) * kSubCount;

  void record(std::uint64_t value) {
    ++counts_[index_of(value)];
    ++count_;
    sum_ += static_cast<double>(value);
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  void merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ == 0 ? 0 : min_; }  // exact
  std::uint64_t max() const { return max_; }                    // exact
  double mean() const { return count_ == 0 ? 0 : sum_ / static_cast<double>(count_); }

  // The value below which `percent` of the values lie (nearest rank), within
  // 0.4% of the true one; exact at 0 (the minimum) and 100 (the maximum).
  std::uint64_t percentile(double percent) const {
    if (count_ == 0) return 0;
    if (percent <= 0) return min();
    if (percent >= 100) return max_;
    auto rank = static_cast<std::uint64_t>(std::ceil(percent / 100 * static_cast<double>(count_)));
    rank = std::clamp<std::uint64_t>(rank, 1, count_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::clamp(middle_of(i), min(), max_);
    }
    return max_;
  }

  // Its state piece by piece, and back, for paf-stress's worker processes to
  // send theirs: the count of one bucket, the sum of the values.
  std::uint64_t bucket(std::size_t index) const { return counts_[index]; }
  double sum() const { return sum_; }
  void add_to_bucket(std::size_t index, std::uint64_t count) {
    counts_[index] += count;
    count_ += count;
  }
  void add_extremes_and_sum(std::uint64_t min, std::uint64_t max, double sum) {
    min_ = std::min(min_, min);
    max_ = std::max(max_, max);
    sum_ += sum;
  }

  static std::size_t index_of(std::uint64_t value) {
    if (value < 2 * kSubCount) return static_cast<std::size_t>(value);
    const unsigned exponent = 63 - static_cast<unsigned>(std::countl_zero(value));  // >= 8
    const unsigned shift = exponent - kSubBits;
    const std::uint64_t sub = value >> shift;  // in [128, 256)
    return static_cast<std::size_t>(2 * kSubCount + (exponent - kSubBits - 1) * kSubCount +
                                    (sub - kSubCount));
  }
  // The smallest value counted in bucket `index`, and its width.
  static std::uint64_t lowest_of(std::size_t index) {
    if (index < 2 * kSubCount) return index;
    const std::size_t above = index - 2 * kSubCount;
    const unsigned shift = static_cast<unsigned>(above / kSubCount) + 1;
    return (kSubCount + above % kSubCount) << shift;
  }
  static std::uint64_t width_of(std::size_t index) {
    if (index < 2 * kSubCount) return 1;
    return std::uint64_t{1} << (static_cast<unsigned>((index - 2 * kSubCount) / kSubCount) + 1);
  }
  static std::uint64_t middle_of(std::size_t index) {
    return lowest_of(index) + (width_of(index) - 1) / 2;
  }

 private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace paf::tools

#endif
