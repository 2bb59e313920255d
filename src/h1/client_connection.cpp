// The HTTP/1.x client connection (see client_connection.h).
#include "client_connection.h"

#include <utility>

namespace paf {

std::unique_ptr<H1ClientConnection> H1ClientConnection::create(H1Config config, Clock clock) {
  return std::make_unique<h1::ClientConnectionImpl>(config, std::move(clock));
}

}  // namespace paf

namespace paf::h1 {
namespace {

void wake(Wakeup& wakeup) {
  Wakeup callback = std::move(wakeup);
  wakeup = nullptr;
  if (callback) callback();
}

Error closed_error() { return Error{Errc::closed, "the connection is closed"}; }

}  // namespace

// --- ClientExchange --------------------------------------------------------------

ClientExchange::ClientExchange(ClientConnectionImpl* connection, Request request, ResponseHandler on_response)
    : connection_(connection),
      request_(std::move(request)),
      on_response_(std::move(on_response)),
      request_body_(connection->config().write_high_water_mark) {}

void ClientExchange::report_error(const Error& error) {
  if (connection_ != nullptr) connection_->report_error(error);
}

void ClientExchange::cancel() {
  if (connection_ != nullptr) connection_->cancel(this);
}

void ClientExchange::set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) {
  body_.set_on_data(std::move(on_data));
  if (connection_ != nullptr) connection_->wake_reader();
}

void ClientExchange::pause_body(bool paused) {
  body_.set_paused(paused);
  if (!paused && connection_ != nullptr) connection_->wake_reader();
}

void ClientExchange::discard_body() {
  body_.discard();
  if (connection_ != nullptr) connection_->wake_reader();
}

Result<Backpressure> ClientExchange::after_write(Result<Backpressure> written) {
  if (written && connection_ != nullptr) connection_->wake_writer();
  return written;
}

Result<Backpressure> ClientExchange::write_body(std::span<const std::uint8_t> bytes) {
  if (connection_ == nullptr) return std::unexpected(closed_error());
  return after_write(request_body_.write(bytes));
}

Result<Backpressure> ClientExchange::write_body(Buffer&& bytes) {
  if (connection_ == nullptr) return std::unexpected(closed_error());
  return after_write(request_body_.write(std::move(bytes)));
}

Result<void> ClientExchange::close_body(Headers trailers) {
  if (connection_ == nullptr) return std::unexpected(closed_error());
  // Closed already (a body-less request's writer, a second close): nothing is cut short.
  if (!request_body_.is_open()) return std::unexpected(OutgoingBody::closed_body());
  Result<void> closed = request_body_.close(trailers);
  connection_->wake_writer();
  // A body short of its Content-Length leaves the server waiting: give up the connection.
  if (!closed && !request_body_.is_open()) connection_->report_error(closed.error());
  return closed;
}

void ClientExchange::deliver_head(Response response) {
  head_delivered_ = true;
  auto callback = std::move(on_response_);
  on_response_ = nullptr;
  if (callback) callback(std::move(response), BodyReader(this));
}

void ClientExchange::fail(const Error& error) {
  if (connection_ == nullptr) return;
  connection_ = nullptr;
  request_body_.abandon();
  body_.end(std::unexpected(error));
  if (head_delivered_) return;
  auto callback = std::move(on_response_);
  on_response_ = nullptr;
  if (callback) callback(std::unexpected(error), BodyReader());
}

// --- ClientConnectionImpl ---------------------------------------------------------

ClientConnectionImpl::ClientConnectionImpl(H1Config config, Clock clock)
    : config_(config),
      clock_(std::move(clock)),
      parser_(MessageParser::Kind::response,
              {config.max_header_bytes, config.max_header_count, config.max_body_bytes}) {
  idle_deadline_ = after(config_.idle_timeout_ns);
}

ClientConnectionImpl::~ClientConnectionImpl() {
  std::vector<ClientExchange*> exchanges = std::move(exchanges_);
  for (ClientExchange* exchange : exchanges) {
    exchange->fail(Error{Errc::closed, "the connection is gone"});
    exchange->release();
  }
}

std::uint64_t ClientConnectionImpl::after(std::uint64_t timeout_ns) {
  return deadline_after(clock_, timeout_ns);
}

void ClientConnectionImpl::wake_reader() { wake(reader_wakeup_); }
void ClientConnectionImpl::wake_writer() { wake(writer_wakeup_); }

Result<BodyEncoder> ClientConnectionImpl::prepare_request(Request& request) const {
  if (auto checked = check_fields(request.headers); !checked) return std::unexpected(checked.error());
  if (!request.headers.has("host")) request.headers.add("host", request.authority());
  using Framing = BodyEncoder::Framing;
  if (auto declared = request.headers.get("content-length")) {
    auto length = parse_content_length(*declared);
    if (!length) return paf::fail(Errc::invalid_argument, "invalid Content-Length");
    return BodyEncoder(Framing::length, *length);
  }
  if (!http::method_sends_body(request.method)) return BodyEncoder(Framing::none, 0);
  request.headers.set("transfer-encoding", "chunked");
  return BodyEncoder(Framing::chunked, 0);
}

Result<BodyWriter> ClientConnectionImpl::request(Request request, ResponseHandler on_response) {
  if (reading_done_ || writing_done_ || !keep_alive_) return std::unexpected(closed_error());
  auto encoder = prepare_request(request);
  if (!encoder) return std::unexpected(encoder.error());
  auto* exchange = new ClientExchange(this, std::move(request), std::move(on_response));
  exchange->retain();
  exchanges_.push_back(exchange);
  OutgoingBody& outgoing = exchange->outgoing();
  write_request_line(outgoing.output(), exchange->request());
  write_fields(outgoing.output(), exchange->request().headers);
  outgoing.open(*encoder);
  const bool bodyless = encoder->framing() == BodyEncoder::Framing::none ||
                        exchange->request().headers.get("content-length") == "0";
  if (bodyless) (void)outgoing.close({});
  idle_deadline_ = kNoDeadline;
  wake_writer();
  wake_reader();
  return BodyWriter(exchange);
}

// --- reading -------------------------------------------------------------------

ClientExchange* ClientConnectionImpl::responding() const {
  for (ClientExchange* exchange : exchanges_)
    if (!exchange->response_complete()) return exchange;
  return nullptr;
}

ReadOperation ClientConnectionImpl::next_read_operation() {
  if (reading_done_) return ReadOperation::close;
  return can_parse() ? ReadOperation::read : ReadOperation::yield;
}

bool ClientConnectionImpl::can_parse() const {
  if (reading_done_) return false;
  // With nothing in flight, reading still notices the server closing.
  ClientExchange* exchange = responding();
  return exchange == nullptr || exchange->wants_body();
}

std::size_t ClientConnectionImpl::read(Bytes bytes) {
  std::size_t consumed = 0;
  while (can_parse()) {
    ParseStep step = parser_.parse(bytes.subspan(consumed));
    consumed += step.consumed;
    if (step.event == ParseEvent::need_input) break;
    handle(step);
  }
  return consumed;
}

std::size_t ClientConnectionImpl::read_eof(Bytes bytes) {
  std::size_t consumed = read(bytes);
  if (consumed < bytes.size() && !reading_done_) return consumed;
  // A body that lasts until the end of the connection ends here.
  for (ParseStep step = parser_.finish(); step.event != ParseEvent::need_input && !reading_done_;
       step = parser_.finish()) {
    handle(step);
    if (step.event == ParseEvent::error) break;
  }
  if (!reading_done_) close_now(Error{Errc::closed, "the server closed the connection"});
  return consumed;
}

void ClientConnectionImpl::handle(const ParseStep& step) {
  switch (step.event) {
    case ParseEvent::message_begin: return begin_response();
    case ParseEvent::headers_complete: return start_response();
    case ParseEvent::body:
      if (ClientExchange* exchange = responding()) {
        // The reader may cancel, and the connection let the exchange go, while it reads.
        exchange->retain();
        exchange->deliver_body(step.body);
        exchange->release();
      }
      return;
    case ParseEvent::message_complete: return complete_response();
    case ParseEvent::upgrade:
      return close_now(Error{Errc::not_supported, "the client does not support upgrades"});
    case ParseEvent::error: return close_now(parser_.error());
    case ParseEvent::need_input: return;
  }
}

void ClientConnectionImpl::begin_response() {
  ClientExchange* exchange = responding();
  if (exchange == nullptr) return close_now(Error{Errc::protocol_error, "a response to no request"});
  // A response to HEAD has no body, whatever its Content-Length says.
  parser_.set_next_response_bodyless(exchange->request().method == Method::HEAD);
}

void ClientConnectionImpl::start_response() {
  const MessageHead& head = parser_.head();
  // Interim responses (100 Continue, 103 Early Hints) are skipped.
  interim_ = head.status >= 100 && head.status < 200 && head.status != 101;
  if (interim_) {
    // The server is working on it: the response timeout starts again.
    awaited_ = nullptr;
    return update_response_deadline();
  }
  keep_alive_ = keep_alive_ && head.keep_alive;
  responding()->deliver_head(Response{head.status, std::move(parser_.headers())});
  update_response_deadline();
}

void ClientConnectionImpl::complete_response() {
  if (std::exchange(interim_, false)) return;
  ClientExchange* exchange = responding();
  exchange->end_body(std::move(parser_.trailers()));
  // Answered while its body was still being written: the server will not
  // read the rest, so the connection cannot be reused.
  if (exchange->outgoing().is_open()) {
    keep_alive_ = false;
    exchange->outgoing().cut_short();
  }
  if (!keep_alive_) reading_done_ = true;
  settle_finished();
  wake_writer();
}

void ClientConnectionImpl::settle_finished() {
  while (!exchanges_.empty() && exchanges_.front()->response_complete() &&
         exchanges_.front()->request_sent() && exchanges_.front() != presented_) {
    ClientExchange* exchange = exchanges_.front();
    exchanges_.erase(exchanges_.begin());
    exchange->fail(Error{Errc::closed, "the exchange is over"});
    exchange->release();
  }
  if (reading_done_) {
    // No more responses will be read: requests still waiting for one fail.
    std::vector<ClientExchange*> waiting;
    for (ClientExchange* exchange : exchanges_)
      if (!exchange->response_complete() && exchange != presented_) waiting.push_back(exchange);
    for (ClientExchange* exchange : waiting) {
      std::erase(exchanges_, exchange);
      exchange->fail(Error{Errc::closed, "the server closed the connection"});
      exchange->release();
    }
  }
  if (exchanges_.empty() && !reading_done_) idle_deadline_ = after(config_.idle_timeout_ns);
  update_response_deadline();
}

void ClientConnectionImpl::update_response_deadline() {
  ClientExchange* exchange = reading_done_ ? nullptr : responding();
  if (exchange == nullptr || !exchange->request_sent() || exchange->response_started()) {
    awaited_ = nullptr;
    response_deadline_ = kNoDeadline;
    return;
  }
  if (exchange == awaited_) return;  // already counting
  awaited_ = exchange;
  response_deadline_ = after(config_.response_timeout_ns);
}

// --- writing -------------------------------------------------------------------

WriteOperation ClientConnectionImpl::next_write_operation() {
  if (writing_done_) return WriteOperation::close();
  presented_ = nullptr;
  settle_finished();
  for (ClientExchange* exchange : exchanges_) {
    if (!exchange->outgoing().output().empty()) {
      presented_ = exchange;
      return WriteOperation::write(exchange->outgoing().output().iovecs());
    }
    if (exchange->outgoing().is_open()) return WriteOperation::yield();  // requests go out in order
  }
  if (exchanges_.empty() && (reading_done_ || !keep_alive_)) {
    writing_done_ = true;
    return WriteOperation::close();
  }
  return WriteOperation::yield();
}

void ClientConnectionImpl::report_write_result(WriteResult result) {
  if (result.closed) return close_now(Error{Errc::closed, "the server closed the connection"});
  ClientExchange* exchange = std::exchange(presented_, nullptr);
  if (exchange != nullptr) {
    exchange->note_sent(result.bytes);
    exchange->outgoing().report_written(result.bytes);
  }
  settle_finished();
}

// --- time, errors, shutdown ----------------------------------------------------

void ClientConnectionImpl::on_deadline(std::uint64_t now_ns) {
  if (now_ns >= response_deadline_)
    return close_now(Error{Errc::timed_out, "the response did not begin in time"});
  if (now_ns < idle_deadline_) return;
  idle_deadline_ = kNoDeadline;
  close_now(Error{Errc::timed_out, "idle connection closed"});
}

void ClientConnectionImpl::cancel(ClientExchange* exchange) {
  if (exchange->response_complete()) return;  // over (or failed) already
  const Error cancelled{Errc::cancelled, "the request was cancelled"};
  if (!exchange->sending_started() && exchange != presented_ && !exchange->response_started()) {
    // Nothing of it went out: the server never hears of it.
    std::erase(exchanges_, exchange);
    exchange->fail(cancelled);
    exchange->release();
    settle_finished();
    wake_writer();
    wake_reader();
    return;
  }
  // HTTP/1.x has no way to skip one response: the connection goes. The
  // cancelled request hears first; the others then hear of the close.
  exchange->fail(cancelled);
  close_now(Error{Errc::closed, "the connection closed: a request on it was cancelled"});
}

void ClientConnectionImpl::close_now(const Error& error) {
  reading_done_ = writing_done_ = true;
  idle_deadline_ = response_deadline_ = kNoDeadline;
  awaited_ = nullptr;
  presented_ = nullptr;
  std::vector<ClientExchange*> exchanges = std::move(exchanges_);
  exchanges_.clear();
  for (ClientExchange* exchange : exchanges) {
    exchange->fail(error);
    exchange->release();
  }
  wake_reader();
  wake_writer();
}

void ClientConnectionImpl::shutdown() {
  keep_alive_ = false;
  if (exchanges_.empty()) reading_done_ = true;
  wake_reader();
  wake_writer();
}

}  // namespace paf::h1
