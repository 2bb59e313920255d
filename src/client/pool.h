// The client's inside: an exchange per request that the application holds
// from request() to the body's end (ClientRequest), the connections of a pool
// (PooledConnection) and a pool per origin (Pool).
//
// A ClientRequest stands between the application and an engine's exchange:
// it takes body writes before any connection is ready, keeps the request for
// a retry, runs the client's timeouts and tells the pool when its connection
// is free again. The engine's exchange does the protocol work.
#ifndef PAF_CLIENT_POOL_H
#define PAF_CLIENT_POOL_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "paf/client.h"
#include "paf/runtime.h"

namespace paf::client {

class Pool;
class PooledConnection;

// "host:port" as Host and :authority carry it: the port left out when it is
// the scheme's default, an IPv6 literal in brackets.
Buffer authority(const Origin& origin);

// A counted reference on an exchange, held by the client's own callbacks.
class ExchangeRef {
 public:
  explicit ExchangeRef(Exchange* exchange) : exchange_(exchange) { exchange_->retain(); }
  ExchangeRef(ExchangeRef&& other) noexcept : exchange_(std::exchange(other.exchange_, nullptr)) {}
  ExchangeRef(const ExchangeRef&) = delete;
  ExchangeRef& operator=(const ExchangeRef&) = delete;
  ~ExchangeRef() {
    if (exchange_ != nullptr) exchange_->release();
  }

 private:
  Exchange* exchange_;
};

class ClientRequest final : public Exchange {
 public:
  ClientRequest(Pool* pool, Request request, ResponseHandler on_response);

  // --- Exchange: what the application's BodyWriter and BodyReader call ---
  const Request& request() const override { return request_; }
  HttpVersion version() const override { return version_; }
  Result<void> respond_with_string(Response, Buffer) override { return not_a_server(); }
  Result<void> respond_with_streaming(Response) override { return not_a_server(); }
  void report_error(const Error& error) override { abandon(error); }
  void cancel() override { abandon(Error{Errc::cancelled, "the request was cancelled"}); }
  bool response_started() const override { return head_delivered_; }
  void set_on_data(Function<void(Bytes)> on_data) override;
  void set_on_end(Function<void(Result<void>)> on_end) override;
  void pause_body(bool paused) override;
  void discard_body() override;
  const Headers& body_trailers() const override;
  Result<Backpressure> write_body(Bytes bytes) override;
  Result<Backpressure> write_body(Buffer&& bytes) override;
  void on_body_writable(Function<void()> callback) override;
  Result<void> close_body(Headers trailers) override;

  // --- for the pool ---
  // Starts the whole-request timer.
  void start();
  // Sends the request on `connection`; fails (and stays queued) when the
  // connection refuses it (closed, GOAWAY).
  Result<void> bind(PooledConnection& connection);
  // No connection will take it (connect failed, client gone): the application hears why.
  void fail(const Error& error);
  // The connection is going away: it no longer refers to it.
  void forget_connection() { connection_ = nullptr; }
  // The client is going away.
  void forget_pool() { pool_ = nullptr; }

 protected:
  void on_handles_dropped() override;

 private:
  ~ClientRequest() override;
  static Result<void> not_a_server() {
    return paf::fail(Errc::not_supported, "a client exchange has no response to send");
  }
  void on_response(Result<Response> response, BodyReader body);
  void on_body_end(Result<void> end);
  // Delivers the end (or failure) to the application once, frees the connection.
  void finish(Result<void> end);
  void abandon(const Error& error);
  void leave_connection(bool completed);
  // The error the application sees: a timeout rather than the cancellation it caused.
  Error reported(const Error& error) const;
  bool retryable(const Error& error) const;
  void arm(TimerId& timer, std::uint64_t timeout_ns, std::string_view what);
  void disarm(TimerId& timer);
  const ClientConfig* config() const;

  Pool* pool_;  // null once the client is gone
  PooledConnection* connection_ = nullptr;
  Request request_;
  ResponseHandler on_response_;
  HttpVersion version_ = HttpVersion::http_1_1;
  Loop* loop_;

  bool queued_ = true;
  bool head_delivered_ = false;
  bool finished_ = false;
  bool retried_ = false;
  bool body_written_ = false;  // the application wrote body bytes (no retry then)
  // Why the application gave up (a timeout, a cancel): it replaces the
  // engine's Errc::cancelled that giving up causes.
  std::optional<Error> cause_;

  // The engine's handles on its exchange, once bound.
  BodyWriter inner_writer_;
  BodyReader inner_reader_;

  // The request body before a connection takes it.
  std::vector<Buffer> pending_body_;
  std::size_t pending_bytes_ = 0;
  bool body_closed_ = false;
  Headers pending_trailers_;
  Function<void()> on_writable_;

  // The response body, as the application asked for it.
  Function<void(Bytes)> on_data_;
  Function<void(Result<void>)> on_end_;
  std::optional<Result<void>> end_;  // the body ended before on_end was set
  bool paused_ = false;

  TimerId request_timer_, response_timer_, body_timer_;
};

class PooledConnection {
 public:
  enum class State { connecting, handshaking, ready, closed };

  explicit PooledConnection(Pool& pool);
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection();

  void connect();
  State state() const { return state_; }
  HttpVersion version() const { return version_; }
  // Ready, and free for one more request (HTTP/1.1: nothing in flight).
  bool can_take_request() const;
  // HTTP/1.1: its request has left it (a response handler's next request
  // comes while the engine ends the exchange): it will take the next one on
  // the dispatch that leaving posted. True once per request it takes, so
  // that an exchange the engine does not end (a request body still going
  // out after its response) holds nothing back for longer than that.
  bool about_to_take_request();
  // Whether it served a request before (a stale connection's failure is retried).
  bool reused() const { return completed_ > 0; }
  std::size_t active() const { return requests_.size(); }
  // Hands a request to the engine.
  Result<BodyWriter> send(ClientRequest& request, Request message, ResponseHandler on_response);
  // A request bound to it ended (`completed`: answered in full) or left it.
  void release(ClientRequest& request, bool completed);
  // The engine refused a request: no more go to this connection.
  void stop_taking_requests() { accepting_ = false; }
  // Graceful close (HTTP/2: GOAWAY) once what is in flight is done.
  void shutdown();

  // The pool has posted its removal (it happens once).
  bool removal_posted = false;

 private:
  void on_connected(mimic::Resolution connected);
  void step_handshake();
  void start_protocol(HttpVersion version);
  void fail(const Error& error);
  void on_run_done();

  Pool& pool_;
  State state_ = State::connecting;
  HttpVersion version_ = HttpVersion::http_1_1;
  mimic::Resolving resolving_;  // destroyed, it cancels the attempt
  TimerId connect_timer_;
  bool accepting_ = true;
  bool shut_down_ = false;
  std::size_t completed_ = 0;
  bool awaited_ = false;  // about_to_take_request() said so since the last send
  std::vector<ClientRequest*> requests_;  // bound, not ended

  // Destroyed in reverse: the runtime before the engine before the flow.
  std::unique_ptr<Flow> flow_;
  SecureFlow* secure_ = nullptr;
  std::string_view transport_;
  std::unique_ptr<H1ClientConnection> h1_;
  std::unique_ptr<H2ClientConnection> h2_;
  Connection* engine_ = nullptr;
  std::unique_ptr<Runtime> runtime_;
};

class Pool {
 public:
  Pool(Client::Impl& client, const Origin& origin) : client_(client), origin_(origin) {}
  ~Pool();

  Client::Impl& client() { return client_; }
  const Origin& origin() const { return origin_; }

  void enqueue(ClientRequest* request);
  // A retried request goes first.
  void requeue(ClientRequest* request);
  // A queued request gave up.
  void remove_queued(ClientRequest* request);
  // Gives queued requests to connections that can take them and opens new
  // connections for the rest, within the limits.
  void dispatch();
  // dispatch() on the loop's next turn (an engine settles after its callbacks).
  void post_dispatch();

  // --- from the connections ---
  void connection_ready(PooledConnection& connection);
  void connection_failed(PooledConnection& connection, const Error& error);
  // Removes it on the loop's next turn.
  void connection_gone(PooledConnection& connection);
  std::size_t connection_count() const { return connections_.size(); }
  void shutdown();

 private:
  void open_connection();
  void remove(PooledConnection* connection);
  std::size_t count(PooledConnection::State state) const;

  Client::Impl& client_;
  Origin origin_;
  // The protocol the origin's latest connection spoke; unknown before one.
  std::optional<HttpVersion> version_;
  std::deque<ClientRequest*> queue_;  // each holds a reference
  std::vector<std::unique_ptr<PooledConnection>> connections_;
  bool dispatch_posted_ = false;
};

}  // namespace paf::client

namespace paf {

struct Client::Impl {
  Impl(Loop& client_loop, Connector client_connector, ClientConfig client_config);
  ~Impl();

  client::Pool& pool_for(const Origin& origin);
  // Calls the shutdown callback once no connection is left.
  void check_closed();
  // Runs `callback` on the loop's next turn, unless the client is gone by then.
  void post(Function<void()> callback);

  Loop& loop;
  Connector connector;
  ClientConfig config;
  std::vector<std::unique_ptr<client::Pool>> pools;
  bool shutting_down = false;
  Function<void()> on_closed;
  Function<void(const ConnectionInfo&)> on_connection;
  std::shared_ptr<char> alive = std::make_shared<char>();
};

}  // namespace paf

#endif
