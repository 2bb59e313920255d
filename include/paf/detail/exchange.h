// The engine-facing side of an exchange: what the HTTP/1.x and HTTP/2 engines
// implement (server and client), and what paf/reqd.h's handles call. An
// application uses the handles (Reqd, BodyReader, BodyWriter), never this.
#ifndef PAF_DETAIL_EXCHANGE_H
#define PAF_DETAIL_EXCHANGE_H

#include <cstdint>

#include "paf/buffer.h"
#include "paf/bytes.h"
#include "paf/function.h"
#include "paf/http.h"
#include "paf/result.h"

namespace paf {

// What a body write left behind (ready or full): paf/reqd.h says.
enum class Backpressure : std::uint8_t;

// One request/response exchange, as a protocol engine implements it (H1 and
// H2, server and client). Applications use it through the handles of paf/reqd.h.
class Exchange {
 public:
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // The engine keeps a reference while it uses the exchange; handles keep
  // one each. The last release deletes the exchange.
  void retain() { ++references_; }
  void release();

  // --- the request, and the server's response ---
  virtual const Request& request() const = 0;
  // The HTTP version the exchange is carried by (HTTP/1.0, 1.1 or 2).
  virtual HttpVersion version() const = 0;
  virtual Result<void> respond_with_string(Response response, Buffer body) = 0;
  virtual Result<void> respond_with_streaming(Response response) = 0;
  // HTTP/1.1 Upgrade (101) or CONNECT (2xx): after the response, the engine
  // hands the flow to the application. Other protocols: not_supported.
  virtual Result<void> respond_with_upgrade(Response response);
  virtual void report_error(const Error& error) = 0;
  virtual bool response_started() const = 0;

  // --- the incoming body (a server's request body, a client's response body) ---
  virtual void set_on_data(Function<void(Bytes)> on_data) = 0;
  virtual void set_on_end(Function<void(Result<void>)> on_end) = 0;
  virtual void pause_body(bool paused) = 0;
  virtual void discard_body() = 0;
  virtual const Headers& body_trailers() const = 0;

  // --- the outgoing body ---
  virtual Result<Backpressure> write_body(Bytes bytes) = 0;
  virtual Result<Backpressure> write_body(Buffer&& bytes) = 0;
  virtual void on_body_writable(Function<void()> callback) = 0;
  virtual Result<void> close_body(Headers trailers) = 0;

  // --- giving up ---
  // The application abandons the exchange (BodyWriter/BodyReader::cancel).
  // Clients cancel their request (see H1ClientConnection and
  // H2ClientConnection::request); by default, as report_error(Errc::cancelled).
  virtual void cancel();

 protected:
  Exchange() = default;
  virtual ~Exchange() = default;
  // The application holds no handle any more.
  virtual void on_handles_dropped() {}
  // References held: the engine's and the handles'.
  std::uint32_t references() const { return references_; }

 private:
  friend class ExchangeHandle;
  std::uint32_t references_ = 0;
  std::uint32_t handles_ = 0;
};

}  // namespace paf

#endif
