// HTTP/1.x connections (sans-I/O, on llhttp): a server that serves requests
// with a paf::RequestHandler, and a client that sends requests and streams
// their responses. A paf::Runtime drives either over any flow (paf/runtime.h).
#ifndef PAF_H1_H
#define PAF_H1_H

#include <cstddef>
#include <cstdint>
#include <memory>

#include "paf/connection.h"
#include "paf/function.h"
#include "paf/http.h"
#include "paf/reqd.h"
#include "paf/result.h"

namespace paf {

// Limits of one HTTP/1.x connection. Every limit protects the server from one
// peer; going over one answers with the status in brackets and closes.
struct H1Config {
  // Request (or status) line plus header fields, in bytes; also bounds trailers. [431]
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_header_count = 100;  // [431]
  // Request (client: response) body, in bytes. [413]
  std::uint64_t max_body_bytes = 64 * 1024 * 1024;
  // From a request's first byte to the end of its headers (slowloris). [408]
  std::uint64_t header_timeout_ns = 10 * kSecond;
  // Server: between two pieces of a request body while the handler reads it
  // (not while it pauses the body, nor before it asks for it), and from the
  // request's head to the first piece (slow POST). [408, or closed once the
  // response has begun]
  std::uint64_t body_timeout_ns = 30 * kSecond;
  // A keep-alive connection with nothing in flight closes after this.
  std::uint64_t idle_timeout_ns = 60 * kSecond;
  // Client only: from the end of a request (or of the response before it,
  // when later; or of an interim 1xx response) to its response's head; then
  // the request fails with Errc::timed_out and the connection closes.
  // kNoDeadline: no limit.
  std::uint64_t response_timeout_ns = 60 * kSecond;
  // Requests read ahead of their response (pipelining); past it, reading waits.
  std::size_t max_pipelined_requests = 8;
  // Output buffered for one body writer past which write() reports `full`.
  std::size_t write_high_water_mark = 64 * 1024;
  // Unread request body the server discards to keep a connection after an
  // early response; a longer body closes the connection instead.
  std::uint64_t max_drain_bytes = 64 * 1024;
};

class H1ServerConnection : public Connection {
 public:
  static std::unique_ptr<H1ServerConnection> create(H1Config config, RequestHandler handler,
                                                    ErrorHandler error_handler, Clock clock);
};

class H1ClientConnection : public Connection {
 public:
  static std::unique_ptr<H1ClientConnection> create(H1Config config, Clock clock);

  // Sends `request` after the ones before it (keep-alive reuse, pipelining).
  // The returned writer streams the request body: framed by the request's
  // Content-Length if set, else chunked, except for methods without a body
  // (GET, HEAD, DELETE, OPTIONS, TRACE), whose writer is already closed.
  // cancel() on the writer (or the response's BodyReader) fails the request
  // with Errc::cancelled. HTTP/1.x cannot abandon an exchange it has begun:
  // a request of which nothing has been sent yet only leaves the queue, and
  // the connection goes on; otherwise the connection closes, and every other
  // request on it that is still waiting for its response fails with
  // Errc::closed.
  virtual Result<BodyWriter> request(Request request, ResponseHandler on_response) = 0;
  // Requests sent or queued whose response has not ended.
  virtual std::size_t requests_in_flight() const = 0;
};

}  // namespace paf

#endif
