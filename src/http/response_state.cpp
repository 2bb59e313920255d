#include "response_state.h"

#include <expected>

#include "fields.h"

namespace paf::http {

Result<void> ResponseState::check_can_start(bool attached, const Error& closed) const {
  if (!attached) return std::unexpected(closed);
  if (started()) return fail(Errc::invalid_argument, "a response was already sent");
  return {};
}

Result<void> ResponseState::check_can_respond(const Response& response, bool attached,
                                              const Error& closed) const {
  if (auto can_start = check_can_start(attached, closed); !can_start) return can_start;
  if (response.status < 200 || response.status > 999)
    return fail(Errc::invalid_argument, "a final response needs a status from 200 to 999");
  return check_fields(response.headers);
}

}  // namespace paf::http
