// http_service: an H1ServerConnection for every accepted flow.
#include <memory>
#include <utility>

#include "paf/h1.h"
#include "paf/service.h"

namespace paf {

Service http_service(RequestHandler handler, ErrorHandler error_handler, H1Config config) {
  // Every connection calls the same handlers: they are shared, not copied
  // (a Function is move-only and may own state).
  auto shared_handler = std::make_shared<RequestHandler>(std::move(handler));
  auto shared_error_handler = std::make_shared<ErrorHandler>(std::move(error_handler));
  return Service([shared_handler, shared_error_handler, config](
                     std::unique_ptr<Flow> accepted, Loop& loop) -> Result<ServedConnection> {
    RequestHandler on_request = [shared_handler](Reqd& reqd) { (*shared_handler)(reqd); };
    ErrorHandler on_error;
    if (*shared_error_handler)
      on_error = [shared_error_handler](int status, const Error& error, const Request* request) {
        return (*shared_error_handler)(status, error, request);
      };
    Clock clock = [&loop] { return loop.now_ns(); };
    auto connection = H1ServerConnection::create(config, std::move(on_request),
                                                 std::move(on_error), std::move(clock));
    if (!connection) return fail(Errc::out_of_memory, "cannot make an HTTP/1.x connection");
    return ServedConnection{std::move(accepted), std::move(connection)};
  });
}

}  // namespace paf
