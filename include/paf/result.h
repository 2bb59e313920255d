// Errors are values: every fallible operation returns paf::Result<T>.
#ifndef PAF_RESULT_H
#define PAF_RESULT_H

#include <expected>
#include <string_view>

namespace paf {

// What went wrong, as a code a program can test and a message a person can read.
// The message points at static storage (a string literal): errors never allocate.
enum class Errc {
  ok = 0,
  would_block,        // no data or no room yet; try again when told
  closed,             // the peer or the flow is closed
  timed_out,
  invalid_argument,
  out_of_memory,
  protocol_error,     // the peer broke the protocol
  limit_exceeded,     // a configured limit was hit
  tls_error,
  not_supported,
  io_error,           // the platform or OS reported a failure
  cancelled,          // the application cancelled the operation (a client's request)
};

struct Error {
  Errc code = Errc::io_error;
  std::string_view message = {};
  int detail = 0;  // a platform, library or OS error number, when there is one

  friend bool operator==(const Error& a, const Error& b) { return a.code == b.code; }
};

template <typename T>
using Result = std::expected<T, Error>;

// `return paf::fail(Errc::closed, "peer closed the stream");`
inline std::unexpected<Error> fail(Errc code, std::string_view message, int detail = 0) {
  return std::unexpected<Error>(Error{code, message, detail});
}

}  // namespace paf

#endif
