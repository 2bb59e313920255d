// An incoming body as the application reads it (a server's request body, a
// client's response body), shared by the HTTP/1.x and HTTP/2 exchanges.
// Nothing is delivered before on_data is set, or while paused: the engine asks
// wants_data() before it reads on (HTTP/1.x) or opens the window (HTTP/2).
#ifndef PAF_HTTP_INCOMING_BODY_H
#define PAF_HTTP_INCOMING_BODY_H

#include <cstdint>
#include <span>

#include "paf/function.h"
#include "paf/http.h"
#include "paf/result.h"

namespace paf::http {

class IncomingBody {
 public:
  // Not kept once the body ended (a request without one): no data will come,
  // and what the callback holds (often a handle to its exchange) would be kept
  // with it, the exchange never freed.
  void set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) {
    if (!ended_) on_data_ = std::move(on_data);
  }
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

}  // namespace paf::http

#endif
