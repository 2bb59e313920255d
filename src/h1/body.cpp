// Incoming and outgoing bodies of HTTP/1.x exchanges (see body.h).
#include "body.h"

#include <utility>

namespace paf::h1 {
namespace {

Error closed_body() { return Error{Errc::closed, "the body is closed"}; }

}  // namespace

// --- IncomingBody ------------------------------------------------------------------

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

// --- OutgoingBody ------------------------------------------------------------------

void OutgoingBody::open(BodyEncoder encoder) {
  encoder_ = encoder;
  open_ = true;
}

Result<Backpressure> OutgoingBody::after_write(Result<void> written) {
  if (!written) return std::unexpected(written.error());
  return full() ? Backpressure::full : Backpressure::ready;
}

Result<Backpressure> OutgoingBody::write(std::span<const std::uint8_t> bytes) {
  if (!open_) return std::unexpected(closed_body());
  return after_write(encoder_.write(output_, bytes));
}

Result<Backpressure> OutgoingBody::write(Buffer&& bytes) {
  if (!open_) return std::unexpected(closed_body());
  return after_write(encoder_.write(output_, std::move(bytes)));
}

void OutgoingBody::on_writable(Function<void()> callback) {
  if (!open_ || !full()) {
    if (callback) callback();
    return;
  }
  on_writable_ = std::move(callback);
}

Result<void> OutgoingBody::close(const Headers& trailers) {
  if (!open_) return std::unexpected(closed_body());
  if (auto checked = check_fields(trailers); !checked) return checked;
  open_ = false;
  on_writable_ = nullptr;
  return encoder_.finish(output_, trailers);
}

void OutgoingBody::cut_short() {
  open_ = false;
  on_writable_ = nullptr;
}

void OutgoingBody::report_written(std::size_t n) {
  output_.consume(n);
  if (on_writable_ && !full()) notify_writable();
}

void OutgoingBody::abandon() {
  open_ = false;
  output_.clear();
  notify_writable();  // the writer learns from its next write
}

void OutgoingBody::notify_writable() {
  auto callback = std::move(on_writable_);
  on_writable_ = nullptr;
  if (callback) callback();
}

}  // namespace paf::h1
