// The request handler the HTTP/1 and HTTP/2 engine tests share: one handler
// for both protocols, as applications write it.
#ifndef PAF_TESTS_ECHO_HANDLER_H
#define PAF_TESTS_ECHO_HANDLER_H

#include <string>

#include "driver.h"
#include "paf/reqd.h"

namespace paf::testing {

// GET and HEAD: "Hello World!"; other methods: the body streamed back with its
// trailers. Every request and body event is logged to `log`.
inline RequestHandler echo_handler(std::string* log) {
  return [log](Reqd& reqd) {
    const Request& request = reqd.request();
    log->append(request.method_name()).append(" ").append(request.target()).append("\n");
    if (request.method == Method::GET || request.method == Method::HEAD) {
      (void)reqd.respond_with_string({200, {{"content-type", "text/plain"}}}, "Hello World!");
      return;
    }
    BodyWriter writer = *reqd.respond_with_streaming({200, {}});
    BodyReader body = reqd.request_body();
    body.on_data([log, writer](Bytes bytes) mutable {
      log->append("data ").append(as_string(bytes)).append("\n");
      (void)writer.write(bytes);
    });
    body.on_end([log, writer, body](Result<void> end) mutable {
      log->append(end ? "end\n" : "failed\n");
      for (auto field : body.trailers())
        log->append("trailer ").append(field.name).append(": ").append(field.value).append("\n");
      (void)writer.close(body.trailers());
    });
  };
}

}  // namespace paf::testing

#endif
