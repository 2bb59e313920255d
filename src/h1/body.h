// The two halves of an HTTP/1.x exchange's bodies, shared by the server's and
// the client's exchanges: the incoming body as the application reads it, and
// the outgoing body as it writes it, with backpressure both ways.
#ifndef PAF_H1_BODY_H
#define PAF_H1_BODY_H

#include <cstddef>
#include <cstdint>
#include <span>

#include "framing.h"
#include "output_queue.h"
#include "paf/function.h"
#include "paf/http.h"
#include "paf/reqd.h"
#include "paf/result.h"

namespace paf::h1 {

// Nothing is delivered before on_data is set, or while paused: the connection
// asks wants_data() before it parses on.
class IncomingBody {
 public:
  void set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) { on_data_ = std::move(on_data); }
  // Called at once if the body already ended.
  void set_on_end(Function<void(Result<void>)> on_end);
  void set_paused(bool paused) { paused_ = paused; }
  void discard();

  bool wants_data() const { return discarding_ || (on_data_ && !paused_); }
  bool discarding() const { return discarding_; }
  bool ended() const { return ended_; }
  const Headers& trailers() const { return trailers_; }

  void deliver(std::span<const std::uint8_t> bytes);
  // Once: the body is complete (ok) or cut short; drops the callbacks.
  void end(Result<void> result, Headers trailers = {});

 private:
  Function<void(std::span<const std::uint8_t>)> on_data_;
  Function<void(Result<void>)> on_end_;
  Result<void> result_;
  Headers trailers_;
  bool ended_ = false;
  bool paused_ = false;
  bool discarding_ = false;
};

// Output of one message: its head and its body, framed by the encoder, held
// until the connection writes it out.
class OutgoingBody {
 public:
  explicit OutgoingBody(std::size_t high_water_mark) : high_water_mark_(high_water_mark) {}

  OutputQueue& output() { return output_; }
  const OutputQueue& output() const { return output_; }
  // The head is in output(); the body is open for writes.
  void open(BodyEncoder encoder);
  bool is_open() const { return open_; }
  bool full() const { return output_.size() > high_water_mark_; }

  Result<Backpressure> write(std::span<const std::uint8_t> bytes);
  Result<Backpressure> write(Buffer&& bytes);
  void on_writable(Function<void()> callback);
  // Ends the body; an error says it was cut short (the connection must close).
  Result<void> close(const Headers& trailers);
  // Ends the body where it is, cut short.
  void cut_short();
  void report_written(std::size_t n);
  // The connection is gone: the writer is told, the output dropped.
  void abandon();

 private:
  Result<Backpressure> after_write(Result<void> written);
  void notify_writable();

  std::size_t high_water_mark_;
  OutputQueue output_;
  BodyEncoder encoder_;
  Function<void()> on_writable_;
  bool open_ = false;
};

}  // namespace paf::h1

#endif
