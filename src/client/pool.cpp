// Connections and pools of the client (see pool.h).
#include "pool.h"

#include <algorithm>
#include <utility>

namespace paf::client {

// --- PooledConnection ----------------------------------------------------------

PooledConnection::PooledConnection(Pool& pool) : pool_(pool) {}

PooledConnection::~PooledConnection() {
  resolving_.cancel();
  pool_.client().loop.cancel_timer(connect_timer_);
  // The engine fails what is still bound as it goes: nothing is retried from here.
  for (ClientRequest* request : requests_) {
    request->forget_connection();
    request->forget_pool();
  }
  requests_.clear();
  runtime_.reset();
  h1_.reset();
  h2_.reset();
  flow_.reset();
}

void PooledConnection::connect() {
  Client::Impl& client = pool_.client();
  if (client.config.connect_timeout_ns != kNoDeadline)
    connect_timer_ = client.loop.add_timer_after(client.config.connect_timeout_ns, [this] {
      connect_timer_ = TimerId{};
      fail(Error{Errc::timed_out, "connecting took too long"});
    });
  resolving_ = client.connector(
      pool_.origin(), [this](mimic::Resolution connected) { on_connected(std::move(connected)); });
}

void PooledConnection::on_connected(mimic::Resolution connected) {
  if (state_ != State::connecting) return;
  if (!connected) return fail(connected.error().error);
  flow_ = std::move(connected->flow);
  secure_ = connected->secure;
  transport_ = connected->protocol;
  if (secure_ == nullptr)
    return start_protocol(pool_.client().config.h2_prior_knowledge ? HttpVersion::http_2
                                                                   : HttpVersion::http_1_1);
  state_ = State::handshaking;
  step_handshake();
}

void PooledConnection::step_handshake() {
  if (state_ != State::handshaking) return;
  auto done = secure_->handshake();
  if (done)
    return start_protocol(secure_->alpn() == "h2" ? HttpVersion::http_2 : HttpVersion::http_1_1);
  if (done.error().code == Errc::would_block)
    return secure_->when_readable([this] { step_handshake(); });
  fail(done.error());
}

void PooledConnection::start_protocol(HttpVersion version) {
  Client::Impl& client = pool_.client();
  client.loop.cancel_timer(std::exchange(connect_timer_, TimerId{}));
  version_ = version;
  state_ = State::ready;
  Loop& loop = client.loop;
  Clock clock = [&loop] { return loop.now_ns(); };
  if (version == HttpVersion::http_2) {
    H2Config config = client.config.h2;
    config.scheme = secure_ != nullptr ? "https" : "http";
    h2_ = H2ClientConnection::create(config, std::move(clock));
    engine_ = h2_.get();
  } else {
    H1Config config = client.config.h1;
    config.response_timeout_ns = kNoDeadline;  // the client's own runs (ClientConfig)
    h1_ = H1ClientConnection::create(config, std::move(clock));
    engine_ = h1_.get();
  }
  RuntimeOptions options;
  options.coalesce_output = true;  // the requests made in a turn, in one write
  runtime_ = std::make_unique<Runtime>(loop, *engine_, *flow_, options);
  runtime_->start([this](RunOutcome) { on_run_done(); });
  if (client.on_connection)
    client.on_connection(
        ConnectionInfo{&pool_.origin(), version, secure_, flow_->peer(), transport_});
  pool_.connection_ready(*this);
}

void PooledConnection::fail(const Error& error) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  pool_.client().loop.cancel_timer(std::exchange(connect_timer_, TimerId{}));
  pool_.connection_failed(*this, error);
}

void PooledConnection::on_run_done() {
  state_ = State::closed;
  pool_.connection_gone(*this);
}

bool PooledConnection::can_take_request() const {
  if (state_ != State::ready || !accepting_ || shut_down_ || engine_->is_closed()) return false;
  return version_ == HttpVersion::http_2 || (requests_.empty() && h1_->requests_in_flight() == 0);
}

bool PooledConnection::about_to_take_request() {
  if (awaited_ || state_ != State::ready || !accepting_ || shut_down_ || engine_->is_closed() ||
      version_ == HttpVersion::http_2 || !requests_.empty() || h1_->requests_in_flight() == 0)
    return false;
  awaited_ = true;
  return true;
}

Result<BodyWriter> PooledConnection::send(ClientRequest& request, Request message,
                                          ResponseHandler on_response) {
  requests_.push_back(&request);
  awaited_ = false;
  auto writer = h2_ ? h2_->request(std::move(message), std::move(on_response))
                    : h1_->request(std::move(message), std::move(on_response));
  if (!writer) std::erase(requests_, &request);
  return writer;
}

void PooledConnection::release(ClientRequest& request, bool completed) {
  std::erase(requests_, &request);
  if (completed) ++completed_;
}

void PooledConnection::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (state_ == State::ready) return runtime_->shutdown();
  if (state_ != State::closed) {
    state_ = State::closed;
    pool_.connection_gone(*this);
  }
}

// --- Pool ----------------------------------------------------------------------

Pool::~Pool() {
  std::deque<ClientRequest*> queued = std::move(queue_);
  queue_.clear();
  for (ClientRequest* request : queued) {
    request->forget_pool();
    request->fail(Error{Errc::closed, "the client is gone"});
    request->release();
  }
  connections_.clear();
}

void Pool::enqueue(ClientRequest* request) {
  request->retain();
  queue_.push_back(request);
  dispatch();
}

void Pool::requeue(ClientRequest* request) {
  request->retain();
  queue_.push_front(request);
  post_dispatch();
}

void Pool::remove_queued(ClientRequest* request) {
  auto found = std::find(queue_.begin(), queue_.end(), request);
  if (found == queue_.end()) return;
  queue_.erase(found);
  request->release();
}

std::size_t Pool::count(PooledConnection::State state) const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [state](const auto& c) { return c->state() == state; }));
}

void Pool::dispatch() {
  while (!queue_.empty()) {
    auto free = std::find_if(connections_.begin(), connections_.end(),
                             [](const auto& c) { return c->can_take_request(); });
    if (free == connections_.end()) break;
    ClientRequest* request = queue_.front();
    queue_.pop_front();
    auto bound = request->bind(**free);
    if (!bound && bound.error().code == Errc::closed) {
      // The connection is closing (HTTP/2: GOAWAY): the request waits for another.
      (*free)->stop_taking_requests();
      queue_.push_front(request);
      continue;
    }
    if (!bound) request->fail(bound.error());
    request->release();
  }
  if (queue_.empty()) {
    if (client_.shutting_down)
      for (auto& connection : connections_) connection->shutdown();
    return;
  }
  // Open connections for what waits. Until the protocol is known, and for
  // HTTP/2, one connection at a time; HTTP/1.1 one per waiting request.
  // A connection about to be free counts as one opening, for one more turn.
  const auto awaited = static_cast<std::size_t>(std::count_if(
      connections_.begin(), connections_.end(), [](const auto& c) { return c->about_to_take_request(); }));
  if (awaited > 0) post_dispatch();
  std::size_t opening = count(PooledConnection::State::connecting) +
                        count(PooledConnection::State::handshaking) + awaited;
  const bool one_connection = !version_ || *version_ == HttpVersion::http_2;
  if (one_connection) {
    if (opening == 0) open_connection();
    return;
  }
  const std::size_t limit = std::max<std::size_t>(client_.config.max_connections_per_origin, 1);
  while (opening < queue_.size() &&
         connections_.size() - count(PooledConnection::State::closed) < limit) {
    open_connection();
    ++opening;
  }
}

void Pool::post_dispatch() {
  if (dispatch_posted_) return;
  dispatch_posted_ = true;
  client_.post([this] {
    dispatch_posted_ = false;
    dispatch();
  });
}

void Pool::open_connection() {
  connections_.push_back(std::make_unique<PooledConnection>(*this));
  connections_.back()->connect();
}

void Pool::connection_ready(PooledConnection& connection) {
  version_ = connection.version();
  dispatch();
}

void Pool::connection_failed(PooledConnection& connection, const Error& error) {
  connection_gone(connection);
  const bool another_coming =
      std::any_of(connections_.begin(), connections_.end(), [&](const auto& c) {
        return c.get() != &connection && c->state() != PooledConnection::State::closed;
      });
  if (another_coming) return;
  // Nothing else will take the waiting requests: they fail as the connection did.
  std::deque<ClientRequest*> queued = std::move(queue_);
  queue_.clear();
  for (ClientRequest* request : queued) {
    request->fail(error);
    request->release();
  }
}

void Pool::connection_gone(PooledConnection& connection) {
  if (std::exchange(connection.removal_posted, true)) return;
  // Removed from the loop: the connection may be calling from its runtime or its connector.
  client_.post([this, gone = &connection] { remove(gone); });
}

void Pool::remove(PooledConnection* connection) {
  auto found = std::find_if(connections_.begin(), connections_.end(),
                            [connection](const auto& c) { return c.get() == connection; });
  if (found == connections_.end()) return;
  std::unique_ptr<PooledConnection> removed = std::move(*found);
  connections_.erase(found);
  removed.reset();
  dispatch();
  client_.check_closed();
}

void Pool::shutdown() { dispatch(); }

}  // namespace paf::client
