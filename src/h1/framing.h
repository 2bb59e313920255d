// HTTP/1.x message framing on the way out: start lines, header fields and
// body encodings (Content-Length, chunked, until close). Shared by the server's
// responses and the client's requests.
#ifndef PAF_H1_FRAMING_H
#define PAF_H1_FRAMING_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "../http/fields.h"
#include "../http/output_queue.h"
#include "paf/buffer.h"
#include "paf/http.h"
#include "paf/result.h"

namespace paf::h1 {

using http::check_fields;
using http::OutputQueue;
using http::parse_content_length;

void write_status_line(OutputQueue& out, int status);
void write_request_line(OutputQueue& out, const Request& request);
// The fields and the empty line that ends them.
void write_fields(OutputQueue& out, const Headers& fields);

class BodyEncoder {
 public:
  enum class Framing : std::uint8_t {
    none,         // no body goes out (HEAD, 204, 304, 101): writes are dropped
    length,       // exactly Content-Length bytes
    chunked,
    until_close,  // the end of the connection ends the body
  };
  BodyEncoder() = default;
  BodyEncoder(Framing framing, std::uint64_t length) : framing_(framing), remaining_(length) {}

  Result<void> write(OutputQueue& out, std::span<const std::uint8_t> bytes);
  Result<void> write(OutputQueue& out, Buffer&& bytes);
  // Ends the body (the last chunk and trailers); fails if a length body is short.
  Result<void> finish(OutputQueue& out, const Headers& trailers);
  Framing framing() const { return framing_; }

 private:
  // Checks the length and writes the chunk size line; false: drop the bytes.
  Result<bool> begin_piece(OutputQueue& out, std::size_t size);
  void end_piece(OutputQueue& out);

  Framing framing_ = Framing::none;
  std::uint64_t remaining_ = 0;
};

}  // namespace paf::h1

#endif
