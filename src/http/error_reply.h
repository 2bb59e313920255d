// The server's answer to a failed request, shared by the HTTP/1.x and HTTP/2
// exchanges: the application's error handler chooses it.
#ifndef PAF_HTTP_ERROR_REPLY_H
#define PAF_HTTP_ERROR_REPLY_H

#include "paf/reqd.h"

namespace paf::http {

// Responds with the error handler's reply (the default one without a handler);
// if that reply cannot be sent (invalid fields), with the default one.
// `request` is null when the request could not be read.
void respond_with_error(Exchange& exchange, ErrorHandler& handler, int status, const Error& error,
                        const Request* request);

}  // namespace paf::http

#endif
