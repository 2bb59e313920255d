// A client request from request() to its body's end (see pool.h).
#include <utility>

#include "../http/fields.h"
#include "pool.h"

namespace paf::client {
namespace {

// Methods whose repetition means no more than one request (RFC 9110 §9.2.2).
bool idempotent(Method method) {
  switch (method) {
    case Method::GET:
    case Method::HEAD:
    case Method::PUT:
    case Method::DELETE:
    case Method::OPTIONS:
    case Method::TRACE:
      return true;
    default:
      return false;
  }
}

// The engines close the body of these at once (paf/h1.h, paf/h2.h).
bool engine_closes_body(const Request& request) {
  return !http::method_sends_body(request.method) || request.headers.get("content-length") == "0";
}

Error closed_error() { return Error{Errc::closed, "the request is over"}; }

// RFC 9113 §7's REFUSED_STREAM, as the H2 engine reports it in Error::detail.
constexpr int kRefusedStream = 0x7;

}  // namespace

ClientRequest::ClientRequest(Pool* pool, Request request, ResponseHandler on_response)
    : pool_(pool),
      request_(std::move(request)),
      on_response_(std::move(on_response)),
      loop_(&pool->client().loop) {
  body_closed_ = engine_closes_body(request_);
}

ClientRequest::~ClientRequest() {
  disarm(request_timer_);
  disarm(response_timer_);
  disarm(body_timer_);
}

const ClientConfig* ClientRequest::config() const {
  return pool_ != nullptr ? &pool_->client().config : nullptr;
}

void ClientRequest::start() {
  arm(request_timer_, config()->request_timeout_ns, "the request took too long");
}

// --- the connection ------------------------------------------------------------

Result<void> ClientRequest::bind(PooledConnection& connection) {
  connection_ = &connection;
  version_ = connection.version();
  auto writer =
      connection.send(*this, request_,
                      [this, self = ExchangeRef(this)](Result<Response> response, BodyReader body) {
                        on_response(std::move(response), std::move(body));
                      });
  if (!writer) {
    connection_ = nullptr;
    return std::unexpected(writer.error());
  }
  queued_ = false;
  inner_writer_ = std::move(*writer);
  // What the application wrote while the request waited goes out now.
  for (Buffer& piece : pending_body_) (void)inner_writer_.write(std::move(piece));
  pending_body_.clear();
  pending_bytes_ = 0;
  if (body_closed_ && !engine_closes_body(request_))
    (void)inner_writer_.close(std::move(pending_trailers_));
  if (on_writable_) inner_writer_.on_writable(std::move(on_writable_));
  on_writable_ = nullptr;
  arm(response_timer_, config()->response_timeout_ns, "the response did not begin in time");
  return {};
}

void ClientRequest::leave_connection(bool completed) {
  if (PooledConnection* connection = std::exchange(connection_, nullptr))
    connection->release(*this, completed);
  if (pool_ != nullptr) pool_->post_dispatch();
}

bool ClientRequest::retryable(const Error& error) const {
  const ClientConfig* settings = config();
  if (settings == nullptr || retried_ || cause_ || error.code != Errc::closed ||
      connection_ == nullptr || head_delivered_ || body_written_)
    return false;
  // HTTP/2 REFUSED_STREAM: the server did not process it, whatever its method
  // (a server over its MAX_CONCURRENT_STREAMS before the client knew it).
  if (version_ == HttpVersion::http_2) return error.detail == kRefusedStream;
  return settings->retry_on_stale_connection && connection_->reused() &&
         idempotent(request_.method) && engine_closes_body(request_);
}

// --- the response --------------------------------------------------------------

void ClientRequest::on_response(Result<Response> response, BodyReader body) {
  disarm(response_timer_);
  if (finished_) return;
  if (!response) {
    if (retryable(response.error())) {
      // The server closed an idle connection as the request went out on it.
      retried_ = true;
      leave_connection(false);
      inner_writer_ = BodyWriter();
      queued_ = true;
      if (pool_ != nullptr) return pool_->requeue(this);
    }
    return finish(std::unexpected(reported(response.error())));
  }
  head_delivered_ = true;
  inner_reader_ = std::move(body);
  inner_reader_.on_end(
      [this, self = ExchangeRef(this)](Result<void> end) { on_body_end(std::move(end)); });
  ResponseHandler callback = std::move(on_response_);
  on_response_ = nullptr;
  if (callback) callback(std::move(*response), BodyReader(this));
}

void ClientRequest::on_body_end(Result<void> end) {
  if (!end) end = std::unexpected(reported(end.error()));
  finish(std::move(end));
}

void ClientRequest::finish(Result<void> end) {
  if (finished_) return;
  finished_ = true;
  ExchangeRef keep(this);
  disarm(request_timer_);
  disarm(response_timer_);
  disarm(body_timer_);
  // The application's callbacks often hold a handle on this request (a body
  // callback that cancels its body); kept past the end, they would keep it
  // alive for ever.
  on_data_ = nullptr;
  on_writable_ = nullptr;
  leave_connection(end.has_value());
  if (!head_delivered_) {
    ResponseHandler callback = std::move(on_response_);
    on_response_ = nullptr;
    if (callback) callback(std::unexpected(end.error()), BodyReader());
    return;
  }
  if (on_end_) {
    auto callback = std::move(on_end_);
    on_end_ = nullptr;
    callback(std::move(end));
  } else {
    end_ = std::move(end);
  }
}

void ClientRequest::fail(const Error& error) {
  queued_ = false;
  finish(std::unexpected(error));
}

void ClientRequest::set_on_data(Function<void(Bytes)> on_data) {
  const bool first = !on_data_;
  on_data_ = std::move(on_data);
  if (!inner_reader_ || !first || finished_) return;
  if (!paused_)
    arm(body_timer_, config() ? config()->body_idle_timeout_ns : kNoDeadline,
        "the response body stalled");
  inner_reader_.on_data([this, self = ExchangeRef(this)](Bytes bytes) {
    if (body_timer_ != TimerId{})
      arm(body_timer_, config() ? config()->body_idle_timeout_ns : kNoDeadline,
          "the response body stalled");
    // Called from a local: the callback may end the body, which drops it.
    auto callback = std::move(on_data_);
    on_data_ = nullptr;
    if (callback) callback(bytes);
    if (!on_data_ && !finished_) on_data_ = std::move(callback);
  });
}

void ClientRequest::set_on_end(Function<void(Result<void>)> on_end) {
  if (end_) {
    Result<void> end = std::move(*end_);
    end_.reset();
    return on_end(std::move(end));
  }
  on_end_ = std::move(on_end);
}

void ClientRequest::pause_body(bool paused) {
  paused_ = paused;
  if (!inner_reader_) return;
  if (paused) {
    disarm(body_timer_);
    inner_reader_.pause();
    return;
  }
  if (on_data_ && !finished_)
    arm(body_timer_, config() ? config()->body_idle_timeout_ns : kNoDeadline,
        "the response body stalled");
  inner_reader_.resume();
}

void ClientRequest::discard_body() {
  disarm(body_timer_);
  if (inner_reader_) inner_reader_.discard();
}

const Headers& ClientRequest::body_trailers() const {
  static const Headers none;
  return inner_reader_ ? inner_reader_.trailers() : none;
}

void ClientRequest::on_handles_dropped() {
  // A response nobody can read any more would hold its connection
  // (HTTP/1.1) or its stream's window (HTTP/2) forever. One whose on_data is
  // set goes on: the callbacks hold what the application needs.
  if (head_delivered_ && !finished_ && !on_data_) discard_body();
}

// --- the request body ----------------------------------------------------------

Result<Backpressure> ClientRequest::write_body(Bytes bytes) {
  if (inner_writer_) return inner_writer_.write(bytes);
  return write_body(Buffer(bytes));
}

Result<Backpressure> ClientRequest::write_body(Buffer&& bytes) {
  if (inner_writer_) return inner_writer_.write(std::move(bytes));
  if (finished_ || body_closed_) return std::unexpected(closed_error());
  body_written_ = true;
  pending_bytes_ += bytes.size();
  pending_body_.push_back(std::move(bytes));
  const std::size_t high_water_mark = config() ? config()->h1.write_high_water_mark : 0;
  return pending_bytes_ >= high_water_mark ? Backpressure::full : Backpressure::ready;
}

void ClientRequest::on_body_writable(Function<void()> callback) {
  if (inner_writer_) return inner_writer_.on_writable(std::move(callback));
  const std::size_t high_water_mark = config() ? config()->h1.write_high_water_mark : 0;
  if (pending_bytes_ < high_water_mark || finished_) return callback();
  on_writable_ = std::move(callback);
}

Result<void> ClientRequest::close_body(Headers trailers) {
  if (inner_writer_) return inner_writer_.close(std::move(trailers));
  if (finished_ || body_closed_) return std::unexpected(closed_error());
  body_closed_ = true;
  pending_trailers_ = std::move(trailers);
  return {};
}

// --- giving up -----------------------------------------------------------------

Error ClientRequest::reported(const Error& error) const {
  return cause_ && error.code == Errc::cancelled ? *cause_ : error;
}

void ClientRequest::abandon(const Error& error) {
  if (finished_) return;
  ExchangeRef keep(this);
  if (!cause_) cause_ = error;
  if (queued_) {
    if (pool_ != nullptr) pool_->remove_queued(this);
    return fail(error);
  }
  // The engine fails the exchange and says so through on_response or on_end.
  if (inner_writer_)
    inner_writer_.cancel();
  else if (inner_reader_)
    inner_reader_.cancel();
}

void ClientRequest::arm(TimerId& timer, std::uint64_t timeout_ns, std::string_view what) {
  disarm(timer);
  if (timeout_ns == kNoDeadline) return;
  timer = loop_->add_timer_after(timeout_ns, [this, &timer, what] {
    timer = TimerId{};
    ExchangeRef keep(this);
    abandon(Error{Errc::timed_out, what});
  });
}

void ClientRequest::disarm(TimerId& timer) {
  if (timer == TimerId{}) return;
  loop_->cancel_timer(timer);
  timer = TimerId{};
}

}  // namespace paf::client
