// Request handling, one interface for HTTP/1.x and HTTP/2 (server side), and
// the body reader and writer that the clients use as well.
//
//   void hello(paf::Reqd& reqd) {
//     if (reqd.request().path() == "/")
//       return (void)reqd.respond_with_string({200, {{"content-type", "text/plain"}}}, "Hello");
//     auto body = reqd.respond_with_streaming({200, {}});   // Result<BodyWriter>
//     reqd.request_body().on_data(...);                      // streamed request body
//   }
//
// Lifetime: Reqd, BodyReader and BodyWriter are reference-counted handles on
// one exchange; copy one to keep the exchange past the handler's return (a
// streaming response). When the connection goes away, the handles stay valid
// and their operations fail with Errc::closed. A server whose handler dropped
// every handle without responding answers 500 through the error handler.
#ifndef PAF_REQD_H
#define PAF_REQD_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "paf/buffer.h"
#include "paf/bytes.h"
#include "paf/detail/exchange.h"
#include "paf/function.h"
#include "paf/http.h"
#include "paf/result.h"

namespace paf {

// What a body write left behind: room for more, or the buffered output is over
// the high-water mark and the writer should wait for on_writable.
enum class Backpressure : std::uint8_t { ready, full };

// A counted reference to an exchange held by the application.
class ExchangeHandle {
 public:
  ExchangeHandle() = default;
  explicit ExchangeHandle(Exchange* exchange) : exchange_(exchange) { acquire(); }
  ExchangeHandle(const ExchangeHandle& other) : exchange_(other.exchange_) { acquire(); }
  ExchangeHandle(ExchangeHandle&& other) noexcept : exchange_(other.exchange_) {
    other.exchange_ = nullptr;
  }
  ExchangeHandle& operator=(ExchangeHandle other) noexcept {
    Exchange* previous = exchange_;
    exchange_ = other.exchange_;
    other.exchange_ = previous;
    return *this;
  }
  ~ExchangeHandle() { drop(); }

  explicit operator bool() const { return exchange_ != nullptr; }

 protected:
  Exchange* exchange_ = nullptr;

 private:
  void acquire();
  void drop();
};

// Streams an incoming body. Nothing is delivered until on_data is set, and
// nothing while paused: an unread body stops the connection reading (HTTP/2:
// the stream's window stays closed), so a slow reader never makes paf buffer.
class BodyReader : public ExchangeHandle {
 public:
  using ExchangeHandle::ExchangeHandle;
  // Each chunk as it arrives; the bytes are valid during the call only.
  void on_data(Function<void(Bytes)> callback) {
    exchange_->set_on_data(std::move(callback));
  }
  // Once: ok at the end of the body, or why it was cut short. Called at once
  // if the body has already ended.
  void on_end(Function<void(Result<void>)> callback) {
    exchange_->set_on_end(std::move(callback));
  }
  void pause() { exchange_->pause_body(true); }
  void resume() { exchange_->pause_body(false); }
  // Drop the rest of the body (on_end still reports its end).
  void discard() { exchange_->discard_body(); }
  // Chunked trailers, complete once on_end reported ok.
  const Headers& trailers() const { return exchange_->body_trailers(); }
  // Abandons the exchange, as BodyWriter::cancel.
  void cancel() {
    if (exchange_ != nullptr) exchange_->cancel();
  }
};

// Streams an outgoing body. A write is always taken unless the body is closed
// or the connection gone; `full` asks the writer to wait for on_writable.
class BodyWriter : public ExchangeHandle {
 public:
  using ExchangeHandle::ExchangeHandle;
  Result<Backpressure> write(Bytes bytes) { return exchange_->write_body(bytes); }
  Result<Backpressure> write(std::string_view text) {
    return exchange_->write_body(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  // Takes the buffer without copying it.
  Result<Backpressure> write(Buffer&& bytes) { return exchange_->write_body(std::move(bytes)); }
  // Once, when the buffered output drops below the high-water mark (or the
  // connection fails: the next write says why). Called at once if not full.
  void on_writable(Function<void()> callback) {
    exchange_->on_body_writable(std::move(callback));
  }
  // Ends the body; trailers go out where the protocol carries them.
  Result<void> close(Headers trailers = {}) { return exchange_->close_body(std::move(trailers)); }
  // Abandons the exchange. A client cancels its request: the response
  // handler (if no head came yet) or else the body's on_end fails once with
  // Errc::cancelled, writes fail, and the connection drops the request
  // (HTTP/2: RST_STREAM CANCEL on its stream only; HTTP/1.x: see
  // H1ClientConnection::request). Once the response has ended nothing is
  // reported (HTTP/2 only stops a request body still being sent). A
  // server's handler gives up as with Reqd::report_error(Errc::cancelled).
  // An empty handle cancels nothing.
  void cancel() {
    if (exchange_ != nullptr) exchange_->cancel();
  }
};

// The server side of one request: what the request handler receives.
class Reqd : public ExchangeHandle {
 public:
  using ExchangeHandle::ExchangeHandle;
  const Request& request() const { return exchange_->request(); }
  // The protocol the request came by, for the few handlers that care.
  HttpVersion version() const { return exchange_->version(); }
  BodyReader request_body() const { return BodyReader(exchange_); }

  Result<void> respond_with_string(Response response, std::string_view body) {
    return exchange_->respond_with_string(std::move(response), Buffer(body));
  }
  Result<void> respond_with_buffer(Response response, Buffer body) {
    return exchange_->respond_with_string(std::move(response), std::move(body));
  }
  Result<BodyWriter> respond_with_streaming(Response response);
  Result<void> respond_with_upgrade(Response response) {
    return exchange_->respond_with_upgrade(std::move(response));
  }
  // The handler failed: the error handler answers (500) if no response has
  // started, else the response is cut short.
  void report_error(const Error& error) { exchange_->report_error(error); }
  bool response_started() const { return exchange_->response_started(); }
};

using RequestHandler = Function<void(Reqd&)>;

// A client's view of a response: its head, or why there is none; `body`
// streams the response body.
using ResponseHandler = Function<void(Result<Response> response, BodyReader body)>;

// The response an error handler gives for a failed request: `status` is the
// one paf chose (400, 408, 413, 431, 500, ...); `request` is null when the
// request could not be read.
struct ErrorReply {
  Response response;
  Buffer body;
};
using ErrorHandler = Function<ErrorReply(int status, const Error& error, const Request* request)>;

// A plain-text reply: the status line's reason and the error's message.
ErrorReply default_error_reply(int status, const Error& error, const Request* request);

}  // namespace paf

#endif
