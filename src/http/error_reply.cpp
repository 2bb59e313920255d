// The error handler's reply to a failed request (see error_reply.h).
#include "error_reply.h"

#include <utility>

namespace paf::http {

void respond_with_error(Exchange& exchange, ErrorHandler& handler, int status, const Error& error,
                        const Request* request) {
  ErrorReply reply =
      handler ? handler(status, error, request) : default_error_reply(status, error, request);
  if (exchange.respond_with_string(std::move(reply.response), std::move(reply.body))) return;
  reply = default_error_reply(status, error, request);
  (void)exchange.respond_with_string(std::move(reply.response), std::move(reply.body));
}

}  // namespace paf::http
