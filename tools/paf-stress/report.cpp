#include "report.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace paf::tools {
namespace {

constexpr std::array<double, 5> kPercentiles = {50, 90, 99, 99.9, 100};
constexpr std::array<const char*, 5> kPercentileNames = {"p50", "p90", "p99", "p99.9", "max"};
constexpr int kBarWidth = 40;  // characters for the fullest bucket

double milliseconds(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }
double seconds(std::uint64_t ns) { return static_cast<double>(ns) / 1e9; }

double per_second(std::uint64_t count, std::uint64_t elapsed_ns) {
  return elapsed_ns == 0 ? 0 : static_cast<double>(count) / seconds(elapsed_ns);
}

// "12.3 KB" (1000-based, as the other load generators print).
std::string bytes_text(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  std::size_t unit = 0;
  while (bytes >= 1000 && unit + 1 < std::size(units)) {
    bytes /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.2f %s", bytes, units[unit]);
  return text;
}

// A bar of `eighths` eighths of a character: full blocks, then one partial.
std::string bar(std::uint64_t eighths) {
  static const char* partial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  std::string text;
  for (std::uint64_t i = 0; i < eighths / 8; ++i) text += "█";
  text += partial[eighths % 8];
  return text;
}

void print_histogram(const StressResults& results, std::FILE* out) {
  const auto& counts = results.buckets.counts();
  const double width_ms = milliseconds(results.buckets.width_ns());
  std::fprintf(out, "\nHistogram (%g ms buckets):\n", width_ms);
  if (counts.empty()) {
    std::fprintf(out, "  (no answers)\n");
    return;
  }
  const std::uint64_t fullest = *std::max_element(counts.begin(), counts.end());
  char label[64];
  int label_width = 0;
  for (std::size_t i = 0; i < counts.size(); ++i)
    label_width =
        std::max(label_width, std::snprintf(label, sizeof label, "%g", width_ms * double(i + 1)));
  const int count_width = std::snprintf(label, sizeof label, "%llu", (unsigned long long)fullest);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    // A run of three or more empty buckets is drawn as one line.
    std::size_t run = 0;
    while (i + run < counts.size() && counts[i + run] == 0) ++run;
    if (run >= 3) {
      std::fprintf(out, "  %*s  ⋮ (%zu empty buckets)\n", 2 * label_width + 7, "", run);
      i += run - 1;
      continue;
    }
    const bool last = i + 1 == BucketCounts::kMaxBuckets;
    std::fprintf(out, "  [%*g, %*g%-2s ms %*llu %s\n", label_width, width_ms * double(i),
                 label_width, width_ms * double(i + 1), last ? ")+" : ")", count_width,
                 (unsigned long long)counts[i],
                 bar((counts[i] * kBarWidth * 8 + fullest / 2) / fullest).c_str());
  }
}

void print_json_string(std::string_view text, std::FILE* out) {
  std::fputc('"', out);
  for (unsigned char c : text) {
    if (c == '"' || c == '\\')
      std::fprintf(out, "\\%c", c);
    else if (c < 0x20)
      std::fprintf(out, "\\u%04x", c);
    else
      std::fputc(c, out);  // UTF-8 passes as it is
  }
  std::fputc('"', out);
}

}  // namespace

const char* failure_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::connect:
      return "connect";
    case FailureKind::tls:
      return "tls";
    case FailureKind::reset:
      return "reset";
    case FailureKind::timeout:
      return "timeout";
    case FailureKind::protocol:
      return "protocol";
    case FailureKind::status:
      return "status";
    case FailureKind::other:
      return "other";
  }
  return "other";
}

void BucketCounts::record(std::uint64_t value_ns) {
  const std::size_t index = std::min<std::uint64_t>(value_ns / width_ns_, kMaxBuckets - 1);
  if (index >= counts_.size()) counts_.resize(index + 1);
  ++counts_[index];
}

void BucketCounts::add(std::size_t index, std::uint64_t count) {
  if (index >= kMaxBuckets) index = kMaxBuckets - 1;
  if (index >= counts_.size()) counts_.resize(index + 1);
  counts_[index] += count;
}

void StressResults::merge(const StressResults& other) {
  elapsed_ns = std::max(elapsed_ns, other.elapsed_ns);
  requests += other.requests;
  answered += other.answered;
  body_bytes += other.body_bytes;
  latencies.merge(other.latencies);
  for (std::size_t i = 0; i < other.buckets.counts().size(); ++i)
    if (other.buckets.counts()[i] != 0) buckets.add(i, other.buckets.counts()[i]);
  for (const auto& [status, count] : other.statuses) statuses[status] += count;
  for (std::size_t kind = 0; kind < kFailureKinds; ++kind) {
    if (failures[kind].count == 0)
      failures[kind].first_message = other.failures[kind].first_message;
    failures[kind].count += other.failures[kind].count;
  }
  for (const auto& [protocol, count] : other.connections) connections[protocol] += count;
}

// One fact a line: "NAME NUMBER..." and, for failures and connections, the
// rest of the line as text (messages have no newline: replaced if any).
std::string serialize(const StressResults& results) {
  std::string text;
  char line[128];
  auto add = [&](const char* format, auto... values) {
    std::snprintf(line, sizeof line, format, values...);
    text += line;
  };
  add("elapsed %llu\nrequests %llu\nanswered %llu\nbytes %llu\n",
      (unsigned long long)results.elapsed_ns, (unsigned long long)results.requests,
      (unsigned long long)results.answered, (unsigned long long)results.body_bytes);
  const auto& latencies = results.latencies;
  if (latencies.count() != 0)
    add("extremes %llu %llu %.17g\n", (unsigned long long)latencies.min(),
        (unsigned long long)latencies.max(), latencies.sum());
  for (std::size_t i = 0; i < LatencyHistogram::kBucketCount; ++i)
    if (latencies.bucket(i) != 0)
      add("latency %zu %llu\n", i, (unsigned long long)latencies.bucket(i));
  for (std::size_t i = 0; i < results.buckets.counts().size(); ++i)
    if (results.buckets.counts()[i] != 0)
      add("bucket %zu %llu\n", i, (unsigned long long)results.buckets.counts()[i]);
  for (const auto& [status, count] : results.statuses)
    add("status %d %llu\n", status, (unsigned long long)count);
  auto text_of = [](std::string words) {
    std::replace(words.begin(), words.end(), '\n', ' ');
    return words + "\n";
  };
  for (std::size_t kind = 0; kind < kFailureKinds; ++kind) {
    if (results.failures[kind].count == 0) continue;
    add("failure %zu %llu ", kind, (unsigned long long)results.failures[kind].count);
    text += text_of(results.failures[kind].first_message);
  }
  for (const auto& [protocol, count] : results.connections) {
    add("connections %llu ", (unsigned long long)count);
    text += text_of(protocol);
  }
  return text;
}

bool deserialize(std::string_view text, StressResults& results) {
  auto number = [](std::string_view& rest, auto& value) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (error != std::errc{}) return false;
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    return true;
  };
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos) return false;
    std::string_view rest = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    const std::string_view name = rest.substr(0, rest.find(' '));
    rest.remove_prefix(name.size());
    std::uint64_t a = 0, b = 0;
    std::size_t index = 0;
    double sum = 0;
    int status = 0;
    if (name == "elapsed" || name == "requests" || name == "answered" || name == "bytes") {
      if (!number(rest, a)) return false;
      (name == "elapsed"    ? results.elapsed_ns
       : name == "requests" ? results.requests
       : name == "answered" ? results.answered
                            : results.body_bytes) = a;
    } else if (name == "extremes") {
      if (!number(rest, a) || !number(rest, b) || !number(rest, sum)) return false;
      results.latencies.add_extremes_and_sum(a, b, sum);
    } else if (name == "latency") {
      if (!number(rest, index) || !number(rest, a) || index >= LatencyHistogram::kBucketCount)
        return false;
      results.latencies.add_to_bucket(index, a);
    } else if (name == "bucket") {
      if (!number(rest, index) || !number(rest, a)) return false;
      results.buckets.add(index, a);
    } else if (name == "status") {
      if (!number(rest, status) || !number(rest, a)) return false;
      results.statuses[status] += a;
    } else if (name == "failure") {
      if (!number(rest, index) || !number(rest, a) || index >= kFailureKinds) return false;
      results.failures[index].count = a;
      results.failures[index].first_message = rest.substr(rest.empty() ? 0 : 1);
    } else if (name == "connections") {
      if (!number(rest, a)) return false;
      results.connections[std::string(rest.substr(rest.empty() ? 0 : 1))] += a;
    } else {
      return false;
    }
  }
  return true;
}

std::uint64_t StressResults::failure_count() const {
  std::uint64_t count = 0;
  for (const auto& kind : failures) count += kind.count;
  return count;
}

void StressResults::record_failure(FailureKind kind, std::string_view message) {
  Failures& failure = failures[static_cast<std::size_t>(kind)];
  if (failure.count++ == 0) failure.first_message = message;
}

void print_text(const StressResults& results, std::FILE* out) {
  const auto& latencies = results.latencies;
  std::fprintf(out, "Summary:\n");
  std::fprintf(out, "  Total:        %.4f s\n", seconds(results.elapsed_ns));
  std::fprintf(out, "  Slowest:      %.3f ms\n", milliseconds(latencies.max()));
  std::fprintf(out, "  Fastest:      %.3f ms\n", milliseconds(latencies.min()));
  std::fprintf(out, "  Average:      %.3f ms\n", latencies.mean() / 1e6);
  std::fprintf(out, "  Requests/sec: %.1f\n", per_second(results.requests, results.elapsed_ns));
  if (results.rate_asked > 0)
    std::fprintf(out, "  Rate asked:   %.1f/s (open model: latencies from scheduled times)\n",
                 results.rate_asked);
  std::fprintf(out, "  Bytes/sec:    %s/s (%s of response bodies)\n",
               bytes_text(per_second(results.body_bytes, results.elapsed_ns)).c_str(),
               bytes_text(double(results.body_bytes)).c_str());
  std::fprintf(out, "  Requests:     %llu, %llu answered\n", (unsigned long long)results.requests,
               (unsigned long long)results.answered);

  std::fprintf(out, "\nLatencies:\n");
  for (std::size_t i = 0; i < kPercentiles.size(); ++i)
    std::fprintf(out, "  %-6s %.3f ms\n", kPercentileNames[i],
                 milliseconds(latencies.percentile(kPercentiles[i])));

  std::fprintf(out, "\nStatus codes:\n");
  if (results.statuses.empty()) std::fprintf(out, "  (none)\n");
  for (const auto& [status, count] : results.statuses)
    std::fprintf(out, "  [%d] %llu\n", status, (unsigned long long)count);

  std::fprintf(out, "\nConnections:\n");
  if (results.connections.empty()) std::fprintf(out, "  (none)\n");
  for (const auto& [protocol, count] : results.connections)
    std::fprintf(out, "  %s: %llu\n", protocol.c_str(), (unsigned long long)count);

  print_histogram(results, out);

  if (const std::uint64_t failed = results.failure_count(); failed != 0) {
    std::fprintf(out, "\nErrors:\n");
    for (std::size_t kind = 0; kind < kFailureKinds; ++kind) {
      const Failures& failure = results.failures[kind];
      if (failure.count == 0) continue;
      std::fprintf(out, "  %s: %llu (first: %s)\n", failure_name(FailureKind(kind)),
                   (unsigned long long)failure.count, failure.first_message.c_str());
    }
    std::fprintf(out, "\nGot %llu error(s)\n", (unsigned long long)failed);
  }
}

void print_json(const StressResults& results, std::FILE* out) {
  const auto& latencies = results.latencies;
  std::fprintf(out,
               "{\"total_seconds\": %.6f, \"requests\": %llu, \"answered\": %llu, "
               "\"errors\": %llu,\n",
               seconds(results.elapsed_ns), (unsigned long long)results.requests,
               (unsigned long long)results.answered, (unsigned long long)results.failure_count());
  if (results.rate_asked > 0) std::fprintf(out, " \"rate_asked\": %.3f,", results.rate_asked);
  std::fprintf(out,
               " \"requests_per_second\": %.3f, \"body_bytes\": %llu, "
               "\"body_bytes_per_second\": %.3f,\n",
               per_second(results.requests, results.elapsed_ns),
               (unsigned long long)results.body_bytes,
               per_second(results.body_bytes, results.elapsed_ns));
  std::fprintf(out, " \"latency_ms\": {\"fastest\": %.6f, \"slowest\": %.6f, \"average\": %.6f",
               milliseconds(latencies.min()), milliseconds(latencies.max()),
               latencies.mean() / 1e6);
  for (std::size_t i = 0; i < kPercentiles.size(); ++i)
    std::fprintf(out, ", \"%s\": %.6f", kPercentileNames[i],
                 milliseconds(latencies.percentile(kPercentiles[i])));
  std::fprintf(out, "},\n \"status_codes\": {");
  const char* separator = "";
  for (const auto& [status, count] : results.statuses) {
    std::fprintf(out, "%s\"%d\": %llu", separator, status, (unsigned long long)count);
    separator = ", ";
  }
  std::fprintf(out, "},\n \"errors_by_kind\": {");
  separator = "";
  for (std::size_t kind = 0; kind < kFailureKinds; ++kind) {
    const Failures& failure = results.failures[kind];
    if (failure.count == 0) continue;
    std::fprintf(out, "%s\"%s\": {\"count\": %llu, \"first\": ", separator,
                 failure_name(FailureKind(kind)), (unsigned long long)failure.count);
    print_json_string(failure.first_message, out);
    std::fputc('}', out);
    separator = ", ";
  }
  std::fprintf(out, "},\n \"connections\": {");
  separator = "";
  for (const auto& [protocol, count] : results.connections) {
    std::fputs(separator, out);
    print_json_string(protocol, out);
    std::fprintf(out, ": %llu", (unsigned long long)count);
    separator = ", ";
  }
  std::fprintf(out, "},\n \"histogram\": {\"bucket_ms\": %g, \"counts\": [",
               milliseconds(results.buckets.width_ns()));
  separator = "";
  for (std::uint64_t count : results.buckets.counts()) {
    std::fprintf(out, "%s%llu", separator, (unsigned long long)count);
    separator = ", ";
  }
  std::fprintf(out, "]}}\n");
}

}  // namespace paf::tools
