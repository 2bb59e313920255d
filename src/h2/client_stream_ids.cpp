// The stream ids a client has used (see client_stream_ids.h).
#include "client_stream_ids.h"

#include <algorithm>

namespace paf::h2 {

bool ClientStreamIds::accept_headers(std::int32_t id) {
  if (id < next_)
    return std::none_of(skipped_.begin(), skipped_.end(),
                        [id](const Range& range) { return range.first <= id && id <= range.last; });
  if (id > next_) {
    // A forgotten range falls back to nghttp2's leniency (a HEADERS in it is
    // ignored): a client cannot make the session's memory grow.
    if (skipped_.size() == kMaxSkippedRanges) skipped_.erase(skipped_.begin());
    skipped_.push_back({next_, std::int64_t{id} - 2});
  }
  next_ = std::int64_t{id} + 2;
  return true;
}

}  // namespace paf::h2
