// The incoming body of an exchange (see incoming_body.h).
#include "incoming_body.h"

#include <utility>

namespace paf::http {

void IncomingBody::set_on_end(Function<void(Result<void>)> on_end) {
  if (!ended_) {
    on_end_ = std::move(on_end);
    return;
  }
  if (on_end) on_end(result_);
}

void IncomingBody::discard() {
  discarding_ = true;
  on_data_ = nullptr;
}

void IncomingBody::deliver(std::span<const std::uint8_t> bytes) {
  if (discarding_ || !on_data_) return;
  // The callback may replace itself, or discard or end the body, while it runs.
  auto callback = std::move(on_data_);
  on_data_ = nullptr;
  callback(bytes);
  if (!on_data_ && !discarding_ && !ended_) on_data_ = std::move(callback);
}

void IncomingBody::end(Result<void> result, Headers trailers) {
  if (ended_) return;
  ended_ = true;
  result_ = result;
  trailers_ = std::move(trailers);
  on_data_ = nullptr;
  auto callback = std::move(on_end_);
  on_end_ = nullptr;
  if (callback) callback(result);
}

}  // namespace paf::http
