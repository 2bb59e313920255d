// What the client targets ask of their engine: requests sent before and
// while the fuzzer's responses come in, each response's body read to its end.
#ifndef PAF_FUZZ_CLIENT_H
#define PAF_FUZZ_CLIENT_H

#include <string_view>
#include <vector>

#include "paf/reqd.h"

namespace paf::fuzz {

// Sends requests on any client connection (H1ClientConnection, H2ClientConnection).
template <typename ClientConnection>
class Requests {
 public:
  explicit Requests(ClientConnection& connection) : connection_(connection) {}

  // What every input starts with: a GET, a POST with a Content-Length body
  // and a HEAD (whose response has no body whatever it says).
  void send_first() {
    send(Method::GET, "/", {});
    send_body(Request(Method::POST, "/upload", {{"host", "a"}, {"content-length", "5"}}), "hello");
    send(Method::HEAD, "/", {});
  }

  // Actions: 0 a GET; 1 a POST whose body has no length (chunked in
  // HTTP/1.1); 2 the last request cancelled; 3 a HEAD.
  void act(unsigned action) {
    switch (action) {
      case 0:
        send(Method::GET, "/next", {});
        break;
      case 1:
        send_body(Request(Method::POST, "/stream", {{"host", "a"}}), "abc");
        break;
      case 2:
        if (!writers_.empty()) writers_.back().cancel();
        break;
      default:
        send(Method::HEAD, "/", {});
        break;
    }
  }

 private:
  void send(Method method, std::string_view target, std::string_view body) {
    send_body(Request(method, target, {{"host", "a"}}), body);
  }
  void send_body(Request request, std::string_view body) {
    auto writer =
        connection_.request(std::move(request), [](Result<Response> response, BodyReader reader) {
          if (!response) return;
          reader.on_data([](Bytes) {});
          reader.on_end([](Result<void>) {});
        });
    if (!writer) return;
    if (!body.empty()) (void)writer->write(body);
    (void)writer->close();
    writers_.push_back(*writer);
  }

  ClientConnection& connection_;
  std::vector<BodyWriter> writers_;
};

}  // namespace paf::fuzz

#endif
