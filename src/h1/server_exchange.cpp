// One request/response exchange of an HTTP/1.x server (see server_exchange.h).
#include "server_exchange.h"

#include <utility>

#include "../http/error_reply.h"
#include "server_connection.h"

namespace paf::h1 {
namespace {

Error closed_error() { return Error{Errc::closed, "the connection is closed"}; }

}  // namespace

ServerExchange::ServerExchange(ServerConnectionImpl* connection, Request request, RequestFacts facts)
    : connection_(connection),
      request_(std::move(request)),
      facts_(facts),
      response_(connection->config().write_high_water_mark) {
  if (!facts.has_body || !facts.readable) body_.end({});
}

// --- the request body ----------------------------------------------------------

bool ServerExchange::wants_body() const { return body_.ended() || body_.wants_data(); }

void ServerExchange::set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) {
  body_.set_on_data(std::move(on_data));
  if (connection_ == nullptr) return;
  if (!response_state_.started()) send_continue();
  connection_->wake_reader();
}

// The client waits for "100 Continue" before it sends the body it announced.
void ServerExchange::send_continue() {
  if (!facts_.expect_continue || continue_sent_ || body_.ended()) return;
  continue_sent_ = true;
  response_.output().append("HTTP/1.1 100 Continue\r\n\r\n");
  connection_->on_output(this);
}

void ServerExchange::set_on_end(Function<void(Result<void>)> on_end) { body_.set_on_end(std::move(on_end)); }

void ServerExchange::pause_body(bool paused) {
  body_.set_paused(paused);
  if (!paused && connection_ != nullptr) connection_->wake_reader();
}

void ServerExchange::discard_body() {
  body_.discard();
  if (facts_.expect_continue && !continue_sent_) close_after_ = true;  // the body may never come
  if (connection_ != nullptr) connection_->wake_reader();
}

void ServerExchange::start_draining() {
  draining_ = true;
  discard_body();
}

void ServerExchange::deliver_body(std::span<const std::uint8_t> bytes) { body_.deliver(bytes); }

void ServerExchange::end_body(Result<void> result, Headers trailers) {
  body_.end(result, std::move(trailers));
}

void ServerExchange::fail_request(int status, const Error& error) {
  close_after_ = true;
  // The error reply comes first: the reader's on_end learns it was cut short.
  if (!response_state_.started()) respond_with_error(status, error);
  end_body(std::unexpected(error));
}

// --- the response --------------------------------------------------------------

Result<void> ServerExchange::respond_with_string(Response response, Buffer body) {
  if (auto checked =
          response_state_.check_can_respond(response, connection_ != nullptr, closed_error());
      !checked)
    return checked;
  start_response(response, body.size());
  auto written = response_.write(std::move(body));
  complete_response(written ? response_.close({}) : Result<void>(std::unexpected(written.error())));
  return {};
}

Result<void> ServerExchange::respond_with_streaming(Response response) {
  if (auto checked =
          response_state_.check_can_respond(response, connection_ != nullptr, closed_error());
      !checked)
    return checked;
  if (response.headers.has("content-length") &&
      !parse_content_length(*response.headers.get("content-length")))
    return fail(Errc::invalid_argument, "invalid Content-Length");
  // A successful streamed response to a body announced with Expect:
  // 100-continue (an echo, an upload) is taken to want that body.
  if (response.status < 300) send_continue();
  start_response(response, std::nullopt);
  connection_->on_output(this);
  return {};
}

Result<void> ServerExchange::respond_with_upgrade(Response response) {
  if (connection_ == nullptr) return std::unexpected(closed_error());
  if (!facts_.upgrade) return fail(Errc::invalid_argument, "the request asked for no upgrade");
  if (auto can_start = response_state_.check_can_start(true, closed_error()); !can_start)
    return can_start;
  if (auto checked = check_fields(response.headers); !checked) return checked;
  upgrading_ = true;
  response_state_.finish();
  write_status_line(response_.output(), response.status);
  write_fields(response_.output(), response.headers);
  connection_->on_response_started(this);
  connection_->on_output(this);
  return {};
}

void ServerExchange::start_response(Response& response, std::optional<std::uint64_t> known_length) {
  Headers& headers = response.headers;
  using Framing = BodyEncoder::Framing;
  close_after_ = close_after_ || !facts_.keep_alive || connection_->closing_after(this) ||
                 headers.has_token("connection", "close");
  Framing framing = Framing::none;
  std::uint64_t length = 0;
  if (status_allows_body(response.status)) {
    if (known_length) {
      headers.set("content-length", NumberText(*known_length).view());
    }
    if (auto declared = headers.get("content-length")) {
      framing = Framing::length;
      length = *parse_content_length(*declared);
    } else if (request_.version == HttpVersion::http_1_1) {
      framing = Framing::chunked;
      headers.set("transfer-encoding", "chunked");
    } else {
      framing = Framing::until_close;
      close_after_ = true;
    }
  }
  if (request_.method == Method::HEAD) framing = Framing::none;
  if (close_after_ && !headers.has_token("connection", "close")) headers.add("connection", "close");
  if (!close_after_ && request_.version == HttpVersion::http_1_0)
    headers.set("connection", "keep-alive");
  response_state_.start_streaming();
  write_status_line(response_.output(), response.status);
  write_fields(response_.output(), headers);
  response_.open(BodyEncoder(framing, length));
  connection_->on_response_started(this);
}

void ServerExchange::complete_response(Result<void> finished) {
  response_state_.finish();
  response_.cut_short();
  // A body cut short can only be told by closing the connection.
  if (!finished) close_after_ = true;
  if (connection_ != nullptr) connection_->on_output(this);
}

void ServerExchange::respond_with_error(int status, const Error& error) {
  http::respond_with_error(*this, connection_->error_handler(), status, error,
                           facts_.readable ? &request_ : nullptr);
}

void ServerExchange::report_error(const Error& error) {
  if (connection_ == nullptr) return;
  if (!response_state_.started()) return respond_with_error(500, error);
  if (response_state_.streaming()) complete_response(std::unexpected(error));
}

void ServerExchange::on_handles_dropped() {
  if (connection_ == nullptr || response_state_.complete()) return;
  // No one can respond or finish the response any more.
  report_error(Error{Errc::invalid_argument, "the handler dropped the request without a response"});
}

// --- the response body ----------------------------------------------------------

Result<Backpressure> ServerExchange::after_write(Result<Backpressure> written) {
  if (written && connection_ != nullptr) connection_->on_output(this);
  return written;
}

Result<Backpressure> ServerExchange::write_body(std::span<const std::uint8_t> bytes) {
  if (connection_ == nullptr) return std::unexpected(closed_error());
  return after_write(response_.write(bytes));
}

Result<Backpressure> ServerExchange::write_body(Buffer&& bytes) {
  if (connection_ == nullptr) return std::unexpected(closed_error());
  return after_write(response_.write(std::move(bytes)));
}

void ServerExchange::on_body_writable(Function<void()> callback) { response_.on_writable(std::move(callback)); }

Result<void> ServerExchange::close_body(Headers trailers) {
  if (connection_ == nullptr || !response_state_.streaming())
    return std::unexpected(closed_error());
  Result<void> finished = response_.close(trailers);
  if (!finished && response_.is_open()) return finished;  // bad trailers: the body stays open
  complete_response(finished);
  return finished;
}

void ServerExchange::report_written(std::size_t n) { response_.report_written(n); }

void ServerExchange::abort(const Error& error) {
  if (connection_ == nullptr) return;
  connection_ = nullptr;
  body_.end(std::unexpected(error));
  if (response_state_.streaming()) response_state_.finish();
  response_.abandon();
}

}  // namespace paf::h1
