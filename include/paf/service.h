// Services and serve(): what a server does with the flows a Listener accepts.
//
// A Service is a value that turns one accepted Flow into the Connection that
// serves it (http_service: HTTP/1.x; https_service and alpn_service will wrap
// the flow in TLS and pick the protocol the same way). serve() accepts from a
// listener, drives each connection with a paf::Runtime until it is over, and
// shuts everything down gracefully when its stop Switch is turned off.
//
//   paf::Switch stop;
//   paf::serve(loop, paf::http_service(hello, on_error), listener, stop);
//   loop.run();  // returns once `stop` is off and every connection is gone
#ifndef PAF_SERVICE_H
#define PAF_SERVICE_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "paf/connection.h"
#include "paf/flow.h"
#include "paf/function.h"
#include "paf/h1.h"
#include "paf/listener.h"
#include "paf/loop.h"
#include "paf/reqd.h"
#include "paf/result.h"
#include "paf/switch.h"

namespace paf {

// What a service makes of an accepted flow: the flow the connection runs over
// (the accepted one, or one wrapping it, as TLS will) and the connection.
struct ServedConnection {
  std::unique_ptr<Flow> flow;
  std::unique_ptr<Connection> connection;
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

// Plain HTTP/1.x: every accepted flow gets an H1ServerConnection with
// `config`, whose requests go to `handler` and errors to `error_handler`.
Service http_service(RequestHandler handler, ErrorHandler error_handler, H1Config config = {});

struct ServeOptions {
  // After `stop` turns off, connections get this long to finish what is in
  // flight; whatever remains then is closed.
  std::uint64_t shutdown_grace_ns = seconds(5);
  // Connections served at once; past it, accepting waits until one ends. 0: no limit.
  std::size_t max_connections = 1024;
  // Called once, from the loop, when `stop` is off and every connection is
  // gone (the listener is closed by then).
  Function<void()> on_stopped = {};
};

// Serves `listener`'s connections with `service` on `loop` until `stop` is
// turned off: then closes the listener, shuts every live connection down
// gracefully, closes the ones left after the grace period, and calls
// options.on_stopped. The loop, the listener and the switch must outlive the
// serving, which owns itself and ends only once `stop` is turned off.
void serve(Loop& loop, Service service, Listener& listener, Switch& stop, ServeOptions options = {});

}  // namespace paf

#endif
