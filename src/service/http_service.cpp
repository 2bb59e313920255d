// The HTTP services: http_service (HTTP/1.x and h2c, by the first bytes),
// alpn_service (any SecureFlow, by ALPN) and https_service (paf's TLS, by
// ALPN, its config read from a slot at each accept). They differ only in how
// a flow's protocol is learnt; what serves it once known is HttpConnections,
// shared by all three.
#include <memory>
#include <utility>

#include "paf/alpn.h"
#include "paf/h1.h"
#include "paf/h2.h"
#include "paf/service.h"
#include "paf/tls.h"

namespace paf {
namespace {

// What every connection of one service shares: the handlers (shared, not
// copied: a Function is move-only and may own state) and the configs.
class HttpConnections {
 public:
  HttpConnections(RequestHandler handler, ErrorHandler error_handler, H1Config h1, H2Config h2)
      : handler_(std::move(handler)), error_handler_(std::move(error_handler)), h1_(h1), h2_(h2) {}

  // Makes the connections of flows served on `loop`. The connections share
  // `self`: they may outlive the service that made them.
  static ConnectionFactory factory(std::shared_ptr<HttpConnections> self, Loop& loop) {
    return [self = std::move(self), &loop](HttpVersion version) {
      return make(self, version, loop);
    };
  }

 private:
  static Result<std::unique_ptr<Connection>> make(const std::shared_ptr<HttpConnections>& self,
                                                  HttpVersion version, Loop& loop) {
    RequestHandler on_request = [self](Reqd& reqd) { self->handler_(reqd); };
    ErrorHandler on_error;
    if (self->error_handler_)
      on_error = [self](int status, const Error& error, const Request* request) {
        return self->error_handler_(status, error, request);
      };
    Clock clock = [&loop] { return loop.now_ns(); };
    std::unique_ptr<Connection> connection;
    if (version == HttpVersion::http_2)
      connection = H2ServerConnection::create(self->h2_, std::move(on_request), std::move(on_error),
                                              std::move(clock));
    else
      connection = H1ServerConnection::create(self->h1_, std::move(on_request), std::move(on_error),
                                              std::move(clock));
    if (!connection) return fail(Errc::out_of_memory, "cannot make an HTTP connection");
    return connection;
  }

  RequestHandler handler_;
  ErrorHandler error_handler_;
  H1Config h1_;
  H2Config h2_;
};

}  // namespace

Service http_service(RequestHandler handler, ErrorHandler error_handler, H1Config h1, H2Config h2) {
  auto shared =
      std::make_shared<HttpConnections>(std::move(handler), std::move(error_handler), h1, h2);
  // HTTP/1.x would wait as long for the first byte, then for the headers.
  PrefaceTimeouts timeouts{.first_byte_ns = h1.idle_timeout_ns,
                           .decision_ns = h1.header_timeout_ns};
  return Service(
      [shared, timeouts](std::unique_ptr<Flow> accepted, Loop& loop) -> Result<ServedConnection> {
        ServedConnection served;
        served.pending = dispatch_by_preface(loop, std::move(accepted), timeouts,
                                             HttpConnections::factory(shared, loop));
        return served;
      });
}

Service alpn_service(SecureFlowFactory secure, RequestHandler handler, ErrorHandler error_handler,
                     H1Config h1, H2Config h2) {
  auto shared =
      std::make_shared<HttpConnections>(std::move(handler), std::move(error_handler), h1, h2);
  auto shared_secure = std::make_shared<SecureFlowFactory>(std::move(secure));
  // The service's handshakes take turns on its loop (made at the first
  // accept, when the loop is known; a service serves on one loop).
  auto turns = std::make_shared<std::shared_ptr<HandshakeTurns>>();
  return Service([shared, shared_secure, turns](std::unique_ptr<Flow> accepted,
                                                Loop& loop) -> Result<ServedConnection> {
    Result<std::unique_ptr<SecureFlow>> flow = (*shared_secure)(std::move(accepted), loop);
    if (!flow) return std::unexpected(flow.error());
    if (!*turns) *turns = HandshakeTurns::create(loop);
    ServedConnection served;
    served.pending =
        dispatch_by_alpn(std::move(*flow), HttpConnections::factory(shared, loop), *turns);
    return served;
  });
}

Service https_service(TlsConfig tls, RequestHandler handler, ErrorHandler error_handler,
                      H1Config h1, H2Config h2) {
  return https_service(TlsConfigSlot(std::move(tls)), std::move(handler), std::move(error_handler),
                       h1, h2);
}

Service https_service(TlsConfigSlot tls, RequestHandler handler, ErrorHandler error_handler,
                      H1Config h1, H2Config h2) {
  // The slot is read here, at each accept: the flow keeps the config it got.
  SecureFlowFactory secure = [tls = std::move(tls)](
                                 std::unique_ptr<Flow> accepted,
                                 Loop& loop) -> Result<std::unique_ptr<SecureFlow>> {
    const std::optional<TlsConfig>& config = tls.current();
    if (!config) return fail(Errc::not_supported, "TLS: no certificate yet");
    Result<std::unique_ptr<TlsFlow>> flow = TlsFlow::server(loop, *config, std::move(accepted));
    if (!flow) return std::unexpected(flow.error());
    return std::unique_ptr<SecureFlow>(std::move(*flow));
  };
  return alpn_service(std::move(secure), std::move(handler), std::move(error_handler), h1, h2);
}

}  // namespace paf
