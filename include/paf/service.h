// Services and serve(): what a server does with the flows a Listener accepts.
//
// A Service is a value that turns one accepted Flow into the Connection that
// serves it. When the protocol is not known at accept — a TLS handshake must
// first tell ALPN's choice, a cleartext flow must first show whether it opens
// with the HTTP/2 preface — the service answers with a PendingConnection that
// finds out without blocking the loop. serve() accepts from a listener, drives
// each connection with a paf::Runtime until it is over, and shuts everything
// down gracefully when its stop Switch is turned off.
//
//   paf::Switch stop;
//   paf::serve(loop, paf::http_service(hello, on_error), listener, stop);     // h1 + h2c
//   paf::serve(loop, paf::https_service(tls, hello, on_error), tls_listener, stop);
//   loop.run();  // returns once `stop` is off and every connection is gone
#ifndef PAF_SERVICE_H
#define PAF_SERVICE_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "paf/buffer.h"
#include "paf/connection.h"
#include "paf/flow.h"
#include "paf/function.h"
#include "paf/h1.h"
#include "paf/h2.h"
#include "paf/listener.h"
#include "paf/loop.h"
#include "paf/reqd.h"
#include "paf/result.h"
#include "paf/secure_flow.h"
#include "paf/switch.h"
#include "paf/tls.h"
#include "paf/tls_config_slot.h"

namespace paf {

class PendingConnection;

// What a service makes of an accepted flow: the flow the connection runs over
// (the accepted one, or one wrapping it, as TLS does) and the connection; or,
// when the protocol is not known yet, only `pending`, which finds it out; or
// nothing at all when the exchange is already over (a TLS handshake that was
// all there was to it: SecureFlow::handshake_only()).
struct ServedConnection {
  std::unique_ptr<Flow> flow;
  std::unique_ptr<Connection> connection;
  // Bytes already read from `flow` (a peeked preface): the connection reads
  // them before anything else.
  Buffer first_input;
  std::unique_ptr<PendingConnection> pending;
};

// A flow whose connection is still being chosen (a TLS handshake, a peek at
// the first bytes). It owns the flow until it hands it over; destroying it
// abandons the flow, closing it, and `ready` is then never called.
class PendingConnection {
 public:
  virtual ~PendingConnection() = default;
  // Calls `ready` once, from the loop (never from within start()), with the
  // connection to run (or another PendingConnection), or why there is none
  // (the flow is closed by then). `ready` may destroy this object.
  virtual void start(Function<void(Result<ServedConnection>)> ready) = 0;
  // Who is at the other end, for logs; valid as long as this object.
  virtual std::string_view peer() const = 0;
};

class Service {
 public:
  // Makes the connection for one accepted flow; `loop` gives the clock.
  using Factory = Function<Result<ServedConnection>(std::unique_ptr<Flow> accepted, Loop& loop)>;

  explicit Service(Factory factory) : factory_(std::move(factory)) {}

  // Fails (and drops the flow, closing it) when no connection can be made.
  Result<ServedConnection> serve_flow(std::unique_ptr<Flow> accepted, Loop& loop) {
    return factory_(std::move(accepted), loop);
  }

 private:
  Factory factory_;
};

// Cleartext HTTP: a flow that opens with the HTTP/2 connection preface
// ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", h2c with prior knowledge) gets an
// H2ServerConnection with `h2`, any other an H1ServerConnection with `h1`;
// requests go to `handler`, errors to `error_handler`. No more than the
// preface's 24 bytes is read to decide, and those go to the connection chosen.
// Waiting for them is bounded as HTTP/1.x bounds it: h1.idle_timeout_ns for
// the first byte, then h1.header_timeout_ns (the connection is closed).
Service http_service(RequestHandler handler, ErrorHandler error_handler, H1Config h1 = {},
                     H2Config h2 = {});

// Turns an accepted flow into a SecureFlow (TLS over it, on any TLS library).
using SecureFlowFactory =
    Function<Result<std::unique_ptr<SecureFlow>>(std::unique_ptr<Flow> accepted, Loop& loop)>;

// ALPN dispatch, agnostic of the TLS library: each accepted flow is wrapped by
// `secure`; once its handshake is done (waited for without blocking the loop)
// ALPN's choice picks the connection: "h2" -> HTTP/2; "http/1.1", "http/1.0"
// or none -> HTTP/1.x; anything else closes the flow, as does a handshake
// that was the whole exchange (SecureFlow::handshake_only(), RFC 8737's
// acme-tls/1), which is no failure (no on_refused). Nothing past the
// handshake is read before the connection is chosen. A handshake that fails
// or times out (the SecureFlow's own deadline) closes its flow only, and
// serve() reports it to ServeOptions::on_refused.
Service alpn_service(SecureFlowFactory secure, RequestHandler handler, ErrorHandler error_handler,
                     H1Config h1 = {}, H2Config h2 = {});

// alpn_service over paf's TLS (paf::TlsFlow, mbedTLS): HTTPS with HTTP/2 and
// HTTP/1.1 as `tls`'s ALPN list offers them (by default h2, then http/1.1).
Service https_service(TlsConfig tls, RequestHandler handler, ErrorHandler error_handler,
                      H1Config h1 = {}, H2Config h2 = {});
// The same over a slot read at each accepted connection: set() a new config
// (a renewed certificate) and new handshakes use it while the connections
// already up keep theirs. While the slot is empty, accepted flows are refused
// (ServeOptions::on_refused hears why).
Service https_service(TlsConfigSlot tls, RequestHandler handler, ErrorHandler error_handler,
                      H1Config h1 = {}, H2Config h2 = {});
// The same service, under the name paf-le-chien gives it.
inline Service alpn_service(TlsConfig tls, RequestHandler handler, ErrorHandler error_handler,
                            H1Config h1 = {}, H2Config h2 = {}) {
  return https_service(std::move(tls), std::move(handler), std::move(error_handler), h1, h2);
}

struct ServeOptions {
  // After `stop` turns off, connections get this long to finish what is in
  // flight; whatever remains then is closed.
  std::uint64_t shutdown_grace_ns = seconds(5);
  // Connections served at once; past it, accepting waits until one ends. 0: no limit.
  std::size_t max_connections = 1024;
  // Called once, from the loop, when `stop` is off and every connection is
  // gone (the listener is closed by then).
  Function<void()> on_stopped = {};
  // Called when the service made no connection of an accepted flow (a TLS
  // handshake failed or timed out, a cleartext peer sent no first request in
  // time): who (empty if unknown) and why. The flow is closed; serving goes on.
  Function<void(std::string_view peer, const Error& error)> on_refused = {};
};

// Serves `listener`'s connections with `service` on `loop` until `stop` is
// turned off: then closes the listener, shuts every live connection down
// gracefully, closes the ones left after the grace period, and calls
// options.on_stopped. The loop, the listener and the switch must outlive the
// serving, which owns itself and ends only once `stop` is turned off.
void serve(Loop& loop, Service service, Listener& listener, Switch& stop,
           ServeOptions options = {});

}  // namespace paf

#endif
