// The stream ids a client has used (RFC 9113 §5.1.1), kept compactly: its ids
// only grow, so the used ones are every odd id up to the highest, less the
// ranges it skipped. A client that skips none costs nothing.
#ifndef PAF_H2_CLIENT_STREAM_IDS_H
#define PAF_H2_CLIENT_STREAM_IDS_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace paf::h2 {

class ClientStreamIds {
 public:
  // At most this many skipped ranges are remembered.
  static constexpr std::size_t kMaxSkippedRanges = 64;

  // A HEADERS frame from the client begins on odd `id`: a new id is noted as
  // used. False if `id` is one the client skipped, a stream it can no longer
  // open.
  bool accept_headers(std::int32_t id);
  // Whether the client opened `id` (odd), or skipped it: either way the
  // stream is no longer idle (§5.1.1).
  bool opened_or_skipped(std::int32_t id) const { return id < next_; }
  // The lowest id the client may still open.
  std::int64_t next() const { return next_; }

 private:
  struct Range {
    std::int64_t first, last;
  };
  std::int64_t next_ = 1;       // the id that skips none
  std::vector<Range> skipped_;  // oldest first
};

}  // namespace paf::h2

#endif
