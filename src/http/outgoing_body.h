// An outgoing body as the application writes it (a server's response body, a
// client's request body), shared by the HTTP/1.x and HTTP/2 exchanges: bytes
// queued until the engine takes them, with backpressure past a high-water mark.
//
// The Encoder frames what is written, and is the one protocol-specific part:
//   Result<void> write(OutputQueue&, std::span<const std::uint8_t>);
//   Result<void> write(OutputQueue&, Buffer&&);
//   Result<void> finish(OutputQueue&, const Headers& trailers);  // the end of the body
#ifndef PAF_HTTP_OUTGOING_BODY_H
#define PAF_HTTP_OUTGOING_BODY_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "fields.h"
#include "output_queue.h"
#include "paf/function.h"
#include "paf/http.h"
#include "paf/reqd.h"
#include "paf/result.h"

namespace paf::http {

template <typename Encoder>
class OutgoingBody {
 public:
  explicit OutgoingBody(std::size_t high_water_mark) : high_water_mark_(high_water_mark) {}

  OutputQueue& output() { return output_; }
  const OutputQueue& output() const { return output_; }
  // The body is open for writes, framed by `encoder`.
  void open(Encoder encoder) {
    encoder_ = std::move(encoder);
    open_ = true;
  }
  bool is_open() const { return open_; }
  bool full() const { return output_.size() > high_water_mark_; }
  // A writer waits for room (on_writable).
  bool awaits_room() const { return static_cast<bool>(on_writable_); }
  const Encoder& encoder() const { return encoder_; }

  Result<Backpressure> write(std::span<const std::uint8_t> bytes) {
    if (!open_) return std::unexpected(closed_body());
    return after_write(encoder_.write(output_, bytes));
  }
  Result<Backpressure> write(Buffer&& bytes) {
    if (!open_) return std::unexpected(closed_body());
    return after_write(encoder_.write(output_, std::move(bytes)));
  }
  void on_writable(Function<void()> callback) {
    if (!open_ || !full()) {
      if (callback) callback();
      return;
    }
    on_writable_ = std::move(callback);
  }
  // Ends the body; an error says it was cut short (or, with the body still
  // open, that the trailers were refused).
  Result<void> close(const Headers& trailers) {
    if (!open_) return std::unexpected(closed_body());
    if (auto checked = check_fields(trailers); !checked) return checked;
    open_ = false;
    on_writable_ = nullptr;
    return encoder_.finish(output_, trailers);
  }
  // Ends the body where it is, cut short.
  void cut_short() {
    open_ = false;
    on_writable_ = nullptr;
  }
  // The engine sent `n` bytes of output().
  void report_written(std::size_t n) {
    output_.consume(n);
    if (on_writable_ && !full()) notify_writable();
  }
  // The engine takes up to destination.size() bytes of output() (HTTP/2's
  // data source). The writer is not told here: the engine may be inside its
  // protocol library, so it calls notify_if_writable() once out of it.
  std::size_t take(std::span<std::uint8_t> destination) { return output_.read_into(destination); }
  void notify_if_writable() {
    if (on_writable_ && !full()) notify_writable();
  }
  // The connection is gone: the writer is told, the output dropped.
  void abandon() {
    open_ = false;
    output_.clear();
    notify_writable();  // the writer learns from its next write
  }

  // What closing or writing a closed body returns.
  static Error closed_body() { return Error{Errc::closed, "the body is closed"}; }

 private:
  Result<Backpressure> after_write(Result<void> written) {
    if (!written) return std::unexpected(written.error());
    return full() ? Backpressure::full : Backpressure::ready;
  }
  void notify_writable() {
    auto callback = std::move(on_writable_);
    on_writable_ = nullptr;
    if (callback) callback();
  }

  std::size_t high_water_mark_;
  OutputQueue output_;
  Encoder encoder_;
  Function<void()> on_writable_;
  bool open_ = false;
};

}  // namespace paf::http

#endif
