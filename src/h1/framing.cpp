// HTTP/1.x framing on the way out (see framing.h).
#include "framing.h"

#include <utility>

namespace paf::h1 {
void write_status_line(OutputQueue& out, int status) {
  out.append("HTTP/1.1 ");
  out.append(NumberText(static_cast<std::uint64_t>(status)).view());
  out.append(" ");
  out.append(reason_phrase(status));
  out.append("\r\n");
}

void write_request_line(OutputQueue& out, const Request& request) {
  out.append(request.method_name());
  out.append(" ");
  out.append(request.target());
  out.append(request.version == HttpVersion::http_1_0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
}

void write_fields(OutputQueue& out, const Headers& fields) {
  for (const Headers::Field field : fields) {
    out.append(field.name);
    out.append(": ");
    out.append(field.value);
    out.append("\r\n");
  }
  out.append("\r\n");
}

Result<bool> BodyEncoder::begin_piece(OutputQueue& out, std::size_t size) {
  if (size == 0 || framing_ == Framing::none) return false;
  if (framing_ == Framing::length) {
    if (size > remaining_) return fail(Errc::invalid_argument, "body longer than its Content-Length");
    remaining_ -= size;
  }
  if (framing_ == Framing::chunked) {
    out.append(NumberText(size, 16).view());
    out.append("\r\n");
  }
  return true;
}

void BodyEncoder::end_piece(OutputQueue& out) {
  if (framing_ == Framing::chunked) out.append("\r\n");
}

Result<void> BodyEncoder::write(OutputQueue& out, std::span<const std::uint8_t> bytes) {
  auto begun = begin_piece(out, bytes.size());
  if (!begun) return std::unexpected(begun.error());
  if (!*begun) return {};
  out.append(bytes);
  end_piece(out);
  return {};
}

Result<void> BodyEncoder::write(OutputQueue& out, Buffer&& bytes) {
  auto begun = begin_piece(out, bytes.size());
  if (!begun) return std::unexpected(begun.error());
  if (!*begun) return {};
  out.append(std::move(bytes));
  end_piece(out);
  return {};
}

Result<void> BodyEncoder::finish(OutputQueue& out, const Headers& trailers) {
  Framing framing = std::exchange(framing_, Framing::none);
  if (framing == Framing::chunked) {
    out.append("0\r\n");
    write_fields(out, trailers);
  }
  if (framing == Framing::length && remaining_ > 0)
    return fail(Errc::invalid_argument, "body shorter than its Content-Length");
  return {};
}

}  // namespace paf::h1
