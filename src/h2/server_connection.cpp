// The HTTP/2 server connection (see server_connection.h).
#include "server_connection.h"

#include <algorithm>
#include <new>
#include <utility>

namespace paf {

std::unique_ptr<H2ServerConnection> H2ServerConnection::create(H2Config config,
                                                               RequestHandler handler,
                                                               ErrorHandler error_handler,
                                                               Clock clock) {
  return std::make_unique<h2::ServerConnectionImpl>(config, std::move(handler),
                                                    std::move(error_handler), std::move(clock));
}

}  // namespace paf

namespace paf::h2 {

ServerConnectionImpl::ServerConnectionImpl(H2Config config, RequestHandler handler,
                                           ErrorHandler error_handler, Clock clock)
    : handler_(std::move(handler)),
      error_handler_(std::move(error_handler)),
      session_(Session::Kind::server, config, std::move(clock), this) {}

ServerConnectionImpl::~ServerConnectionImpl() {
  for (ServerExchange* exchange : spares_) delete exchange;
}

Stream* ServerConnectionImpl::accept_stream(std::int32_t id) {
  ServerExchange* exchange = nullptr;
  if (spares_.empty()) {
    exchange = new ServerExchange(this, &session_);
  } else {
    exchange = spares_.back();
    spares_.pop_back();
  }
  exchange->set_id(id);
  session_.adopt(exchange);
  return exchange;
}

void ServerConnectionImpl::retire(Stream* stream) {
  auto* exchange = static_cast<ServerExchange*>(stream);
  // Only the session's last reference on a closed stream makes a spare (an
  // open stream's session keeps another); nothing else points at it then.
  if (exchange->references() > 1 || spares_.size() >= kSpareExchanges) return stream->release();
  Request storage = std::move(exchange->request_);
  http::OutputQueue output = std::move(exchange->outgoing_.output());
  output.clear();  // keeps its segments' storage
  exchange->~ServerExchange();
  auto* spare = new (exchange) ServerExchange(this, &session_, std::move(storage));
  spare->outgoing_.output() = std::move(output);
  spares_.push_back(spare);
}

}  // namespace paf::h2
