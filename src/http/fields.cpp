// Header field checks shared by the engines (see fields.h).
#include "fields.h"

namespace paf::http {

Result<void> check_fields(const Headers& fields) {
  for (const Headers::Field field : fields) {
    if (!is_token(field.name)) return fail(Errc::invalid_argument, "invalid header field name");
    for (char c : field.value)
      if (c == '\r' || c == '\n' || c == '\0')
        return fail(Errc::invalid_argument, "CR, LF or NUL in a header field value");
  }
  return {};
}

std::optional<std::uint64_t> parse_content_length(std::string_view value) {
  if (value.empty() || value.size() > 19) return std::nullopt;
  std::uint64_t length = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return length;
}

bool method_sends_body(Method method) {
  switch (method) {
    case Method::GET:
    case Method::HEAD:
    case Method::DELETE:
    case Method::OPTIONS:
    case Method::TRACE:
    case Method::CONNECT:
      return false;
    default:
      return true;
  }
}

}  // namespace paf::http
