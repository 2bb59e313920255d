// Where a server exchange's response stands — none yet, its body streaming,
// or complete — and what must hold before one starts: the state machine the
// HTTP/1.x and HTTP/2 server exchanges share.
#ifndef PAF_HTTP_RESPONSE_STATE_H
#define PAF_HTTP_RESPONSE_STATE_H

#include <cstdint>

#include "paf/http.h"
#include "paf/result.h"

namespace paf::http {

class ResponseState {
 public:
  bool started() const { return phase_ != Phase::none; }
  bool streaming() const { return phase_ == Phase::streaming; }
  bool complete() const { return phase_ == Phase::complete; }

  // The head went out; the body follows.
  void start_streaming() { phase_ = Phase::streaming; }
  // Nothing more will be sent (the body ended, was cut short, or there was none).
  void finish() { phase_ = Phase::complete; }

  // Whether a response may start: fails with `closed` when the exchange has
  // left its connection (`attached` false), with invalid_argument when a
  // response was already sent.
  Result<void> check_can_start(bool attached, const Error& closed) const;
  // Likewise, and `response` is final (a status from 200 to 999) with fields
  // that may be sent.
  Result<void> check_can_respond(const Response& response, bool attached,
                                 const Error& closed) const;

 private:
  enum class Phase : std::uint8_t { none, streaming, complete };
  Phase phase_ = Phase::none;
};

}  // namespace paf::http

#endif
