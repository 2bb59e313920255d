// Checks of header fields and message facts that HTTP/1.x and HTTP/2 share
// (RFC 9110): what the engines validate before anything goes on the wire.
#ifndef PAF_HTTP_FIELDS_H
#define PAF_HTTP_FIELDS_H

#include <cstdint>
#include <optional>
#include <string_view>

#include "paf/http.h"
#include "paf/result.h"

namespace paf::http {

// Names must be tokens and values free of CR, LF and NUL: no response splitting.
Result<void> check_fields(const Headers& fields);
// A Content-Length value: digits only.
std::optional<std::uint64_t> parse_content_length(std::string_view value);
// Whether a client sends a body with this method unless told otherwise
// (GET, HEAD, DELETE, OPTIONS, TRACE and CONNECT send none).
bool method_sends_body(Method method);

}  // namespace paf::http

#endif
