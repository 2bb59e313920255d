// What a paf-stress run measured, and its two forms: the plain report a
// person reads (with the seed's histogram of Unicode bars) and one JSON object.
#ifndef PAF_TOOLS_STRESS_REPORT_H
#define PAF_TOOLS_STRESS_REPORT_H

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "latency_histogram.h"

namespace paf::tools {

// Why a request failed. `status` is an answer counted as a failure: 5xx,
// and 4xx too with --fail.
enum class FailureKind { connect, tls, reset, timeout, protocol, status, other };
inline constexpr std::size_t kFailureKinds = 7;
const char* failure_name(FailureKind kind);

// Latencies in fixed-width buckets for the drawn histogram: exact counts,
// at most kMaxBuckets of them (the last one also counts everything slower).
class BucketCounts {
 public:
  static constexpr std::size_t kMaxBuckets = 100000;
  explicit BucketCounts(std::uint64_t width_ns) : width_ns_(width_ns) {}
  void record(std::uint64_t value_ns);
  std::uint64_t width_ns() const { return width_ns_; }
  void add(std::size_t index, std::uint64_t count);
  // Up to the last bucket that counted something (the empty tail trimmed).
  const std::vector<std::uint64_t>& counts() const { return counts_; }

 private:
  std::uint64_t width_ns_;
  std::vector<std::uint64_t> counts_;
};

struct Failures {
  std::uint64_t count = 0;
  std::string first_message;  // the first failure's own words
};

struct StressResults {
  explicit StressResults(std::uint64_t bucket_width_ns) : buckets(bucket_width_ns) {}

  std::uint64_t elapsed_ns = 0;
  double rate_asked = 0;       // -r; 0 without (latencies from sending, not schedule)
  std::uint64_t requests = 0;  // finished, answered or not
  std::uint64_t answered = 0;  // a whole response came back (latencies count these)
  std::uint64_t body_bytes = 0;
  LatencyHistogram latencies;
  BucketCounts buckets;
  std::map<int, std::uint64_t> statuses;
  std::array<Failures, kFailureKinds> failures;
  // Connections by what they speak: "HTTP/2 over TLSv1.3", "HTTP/1.1".
  std::map<std::string, std::uint64_t> connections;

  std::uint64_t failure_count() const;
  void record_failure(FailureKind kind, std::string_view message);
  // Adds another run's results (a worker process's): counts add up, the
  // elapsed time is the longest.
  void merge(const StressResults& other);
};

// Results as lines of text, and back: how worker processes (-t) send theirs.
std::string serialize(const StressResults& results);
bool deserialize(std::string_view text, StressResults& results);

void print_text(const StressResults& results, std::FILE* out);
void print_json(const StressResults& results, std::FILE* out);

}  // namespace paf::tools

#endif
