// paf::Client: origins, the pools, shutdown (see paf/client.h and pool.h).
#include "paf/client.h"

#include <algorithm>
#include <utility>

#include "pool.h"

namespace paf {

namespace {

bool secure(const Origin& origin) { return origin.scheme.view() == "https"; }

}  // namespace

Buffer client::authority(const Origin& origin) {
  const std::string_view host = origin.host.view();
  Buffer text;
  const bool ipv6 = host.find(':') != std::string_view::npos;
  if (ipv6) text.append('[');
  text.append(host);
  if (ipv6) text.append(']');
  if (origin.port != (secure(origin) ? 443 : 80)) {
    text.append(':');
    text.append_number(origin.port);
  }
  return text;
}

Client::Impl::Impl(Loop& client_loop, Connector client_connector, ClientConfig client_config)
    : loop(client_loop), connector(std::move(client_connector)), config(client_config) {}

Client::Impl::~Impl() { pools.clear(); }

client::Pool& Client::Impl::pool_for(const Origin& origin) {
  for (auto& pool : pools)
    if (pool->origin() == origin) return *pool;
  pools.push_back(std::make_unique<client::Pool>(*this, origin));
  return *pools.back();
}

void Client::Impl::post(Function<void()> callback) {
  loop.post([alive = std::weak_ptr<char>(alive), callback = std::move(callback)]() mutable {
    if (!alive.expired()) callback();
  });
}

void Client::Impl::check_closed() {
  if (!shutting_down || !on_closed) return;
  for (auto& pool : pools)
    if (pool->connection_count() > 0) return;
  post([this] {
    if (auto callback = std::exchange(on_closed, nullptr)) callback();
  });
}

Connector mimic_connector(mimic::Ctx ctx, Loop& loop) {
  return
      [ctx = std::move(ctx), &loop](const Origin& origin, Function<void(mimic::Resolution)> done) {
        // The origin as a URI, for with_uri: one place says what a URI's context is.
        Buffer text(origin.scheme.view());
        text.append("://");
        text.append(client::authority(origin).view());
        text.append('/');
        auto uri = Uri::parse(text.view());
        Result<mimic::Ctx> target = uri ? mimic::with_uri(ctx, *uri) : std::unexpected(uri.error());
        if (target) return mimic::resolve(*target, loop, std::move(done));
        // Failed before any step: resolving nothing reports it, cancellable as any.
        return mimic::resolve(
            mimic::Ctx(), loop,
            [done = std::move(done), error = target.error()](mimic::Resolution) mutable {
              mimic::ResolveFailure failure;
              failure.error = error;
              failure.description = Buffer(error.message);
              done(std::unexpected(std::move(failure)));
            });
      };
}

Client::Client(Loop& loop, Connector connector, ClientConfig config)
    : impl_(std::make_unique<Impl>(loop, std::move(connector), config)) {}

Client::~Client() = default;

Result<BodyWriter> Client::request(const Origin& origin, Request request,
                                   ResponseHandler on_response) {
  if (impl_->shutting_down) return fail(Errc::closed, "the client is shutting down");
  if (!secure(origin) && origin.scheme.view() != "http")
    return fail(Errc::invalid_argument, "the client speaks http and https only");
  if (request.authority().empty()) {
    Buffer authority = client::authority(origin);
    request.set_authority(authority.view());
  }
  client::Pool& pool = impl_->pool_for(origin);
  auto* exchange = new client::ClientRequest(&pool, std::move(request), std::move(on_response));
  BodyWriter writer(exchange);
  exchange->start();
  pool.enqueue(exchange);
  return writer;
}

void Client::shutdown(Function<void()> on_closed) {
  impl_->shutting_down = true;
  impl_->on_closed = std::move(on_closed);
  for (auto& pool : impl_->pools) pool->shutdown();
  impl_->check_closed();
}

std::size_t Client::connection_count() const {
  std::size_t count = 0;
  for (auto& pool : impl_->pools) count += pool->connection_count();
  return count;
}

void Client::on_connection(Function<void(const ConnectionInfo&)> callback) {
  impl_->on_connection = std::move(callback);
}

}  // namespace paf
