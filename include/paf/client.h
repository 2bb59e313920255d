// paf::Client — HTTP requests to any origin over pooled connections, HTTP/1.1
// or HTTP/2 as ALPN chose (h2c by prior knowledge on request). The request and
// response types and the body reader and writer are the server side's
// (paf/http.h, paf/reqd.h); the protocol engines are paf's H1 and H2 client
// connections, each driven by a paf::Runtime over a flow that a Connector made.
//
//   paf::Client client(loop, connector);
//   client.request(origin, paf::Request(paf::Method::GET, "/"),
//                  [](paf::Result<paf::Response> response, paf::BodyReader body) {
//                    if (!response) return;                   // why: response.error()
//                    body.on_data([](paf::Bytes bytes) { ... });
//                    body.on_end([](paf::Result<void> end) { ... });
//                  });
//
// Pooling: HTTP/1.1 gives each connection one request at a time and reuses it
// (keep-alive), at most max_connections_per_origin at once, requests beyond
// waiting in the origin's queue; HTTP/2 sends every request to an origin over
// one connection (nghttp2 holds streams past the server's
// MAX_CONCURRENT_STREAMS until one ends). While the first connection to an
// origin is being made, the protocol is unknown and requests wait for it.
#ifndef PAF_CLIENT_H
#define PAF_CLIENT_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "paf/buffer.h"
#include "paf/connection.h"
#include "paf/flow.h"
#include "paf/function.h"
#include "paf/h1.h"
#include "paf/h2.h"
#include "paf/http.h"
#include "paf/loop.h"
#include "paf/mimic.h"
#include "paf/reqd.h"
#include "paf/result.h"
#include "paf/secure_flow.h"
#include "paf/uri.h"

namespace paf {

// Origins are paf::Origin (paf/uri.h): scheme ("http", "https"), host and
// port.

// How the client reaches an origin: starts connecting (TCP, TLS over it for
// https, a Unix socket, ... as the connector decides) and calls `done` once,
// from the loop, with the connected flow (for TLS, with the secure flow whose
// handshake tells the protocol ALPN chose) or why there is none. Destroying
// the Resolving it returns cancels the attempt. mimic::resolve is one
// (mimic_connector below); a test may give any other.
using Connector =
    Function<mimic::Resolving(const Origin& origin, Function<void(mimic::Resolution)> done)>;

// A connector over Mimic: each origin resolves in `ctx` with the origin's
// host, port and (https) TLS server name added by mimic::with_uri; `ctx`
// holds the protocols (paf::posix::with_host_protocols on a host) and
// keys::tls (whom to trust, the ALPN offer: h2 preferred by default).
Connector mimic_connector(mimic::Ctx ctx, Loop& loop);

struct ClientConfig {
  // The engines' limits. Their idle_timeout_ns closes a pooled connection
  // that has nothing in flight; their response timeout is the client's own
  // (response_timeout_ns below), the same for both protocols.
  H1Config h1;
  H2Config h2;
  // HTTP/1.1 connections to one origin at once; HTTP/2 uses one.
  std::size_t max_connections_per_origin = 6;
  // Cleartext (http) origins speak HTTP/2 by prior knowledge (h2c) instead of
  // HTTP/1.1. Over TLS the protocol is the one ALPN chose (h2, else HTTP/1.1).
  bool h2_prior_knowledge = false;
  // Connecting, TLS handshake included. [Errc::timed_out]
  std::uint64_t connect_timeout_ns = 30 * kSecond;
  // From a request given to a connection to its response's head. [timed_out]
  std::uint64_t response_timeout_ns = 60 * kSecond;
  // Between two pieces of a response body (a body not read on is not counted:
  // while paused, or before on_data is set). [timed_out]
  std::uint64_t body_idle_timeout_ns = 60 * kSecond;
  // The whole exchange, from request() to the body's end. [timed_out]
  std::uint64_t request_timeout_ns = kNoDeadline;
  // An HTTP/1.1 request that fails with Errc::closed before any answer on a
  // connection that had served another (the peer closed it while idle) goes
  // once more on another connection when its method is idempotent and it has
  // no body (GET, HEAD, DELETE, OPTIONS, TRACE), as browsers and curl do.
  // (HTTP/2: a connection that sent GOAWAY takes no new request, and a
  // stream the server refused — RST_STREAM REFUSED_STREAM, it processed
  // nothing — goes once more whatever its method, unless its body was
  // streamed; other resets fail the request.)
  bool retry_on_stale_connection = true;
};

// What a connection is, for logs and tests (Client::on_connection).
struct ConnectionInfo {
  const Origin* origin = nullptr;
  HttpVersion version = HttpVersion::http_1_1;
  const SecureFlow* secure = nullptr;  // null for cleartext
  std::string_view peer;
  std::string_view transport;  // the connector's name for it: "tcp", "tls+tcp"
};

// A whole response, as the URI requests collect it: its head and its body.
struct Answer {
  Response response;
  Buffer body;
};
using AnswerHandler = Function<void(Result<Answer> answer)>;

// How a request by URI goes.
struct FetchOptions {
  // Redirects followed (301, 302, 303, 307, 308 with a Location, resolved
  // against the URI): 0 answers with the redirect itself; past the count the
  // request fails with limit_exceeded. 303 (but for HEAD), and 301 or 302
  // after a POST, go on as GET without a body; Authorization, Cookie and
  // Proxy-Authorization are not carried to another origin.
  std::size_t max_redirects = 0;
  // Collected bodies (AnswerHandler) longer than this fail with limit_exceeded.
  std::size_t max_body_bytes = 64 * 1024 * 1024;
};

class Client {
 public:
  struct Impl;  // src/client

  // Requests go out on `loop` through connections that `connector` makes.
  // The loop must outlive the client.
  Client(Loop& loop, Connector connector, ClientConfig config = {});
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  // Closes every connection at once; requests in flight or queued fail with
  // Errc::closed (their handles stay valid).
  ~Client();

  // Sends `request` to `origin` ("http" or "https"), on a pooled connection
  // or a new one; its authority (Host, :authority) is the origin's unless it
  // has one. The writer
  // streams the request body (closed already for methods without one: GET,
  // HEAD, DELETE, OPTIONS, TRACE, or Content-Length 0), taking writes even
  // before a connection is ready (`full` past the engines' high-water mark).
  // `on_response` is called once, from the loop: the head and its body
  // reader, or why the request failed. cancel() on the writer or the reader
  // fails the request with Errc::cancelled. Fails at once after shutdown()
  // (closed) and for a scheme other than http and https (invalid_argument).
  Result<BodyWriter> request(const Origin& origin, Request request, ResponseHandler on_response);

  // --- by URI (CoHTTP-like) ---------------------------------------------------
  // Sends `method` to `uri` (absolute, http or https) with `headers` and
  // `body` (Content-Length set from it for methods that send one), follows
  // redirects as `options` says, and calls `done` once, from the loop, with
  // the response and its whole body, or why there is none (a URI that does
  // not parse: invalid_argument).
  void request(Method method, std::string_view uri, Headers headers, Buffer body,
               AnswerHandler done, FetchOptions options = {});
  void get(std::string_view uri, AnswerHandler done, Headers headers = {},
           FetchOptions options = {}) {
    request(Method::GET, uri, std::move(headers), {}, std::move(done), options);
  }
  void head(std::string_view uri, AnswerHandler done, Headers headers = {},
            FetchOptions options = {}) {
    request(Method::HEAD, uri, std::move(headers), {}, std::move(done), options);
  }
  void del(std::string_view uri, AnswerHandler done, Headers headers = {},
           FetchOptions options = {}) {
    request(Method::DELETE, uri, std::move(headers), {}, std::move(done), options);
  }
  void post(std::string_view uri, Buffer body, AnswerHandler done, Headers headers = {},
            FetchOptions options = {}) {
    request(Method::POST, uri, std::move(headers), std::move(body), std::move(done), options);
  }
  void put(std::string_view uri, Buffer body, AnswerHandler done, Headers headers = {},
           FetchOptions options = {}) {
    request(Method::PUT, uri, std::move(headers), std::move(body), std::move(done), options);
  }
  // The same with the final response streamed: `on_response` gets its head
  // and body reader (after the redirects followed), or why there is none.
  // Fails at once for a URI that does not parse.
  Result<void> fetch(Method method, std::string_view uri, Headers headers, Buffer body,
                     ResponseHandler on_response, FetchOptions options = {});

  // Graceful shutdown: no new request is taken, queued and in-flight ones
  // finish, idle connections close (HTTP/2: GOAWAY); `on_closed` is called
  // once, from the loop, when no connection is left.
  void shutdown(Function<void()> on_closed = {});

  // Connections open or being made, to every origin.
  std::size_t connection_count() const;
  // Called for each connection once its protocol is known (after TLS).
  void on_connection(Function<void(const ConnectionInfo&)> callback);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace paf

#endif
