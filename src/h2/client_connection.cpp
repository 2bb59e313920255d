// The HTTP/2 client connection and its exchanges (see client_connection.h).
#include "client_connection.h"

#include <utility>

#include "../http/fields.h"

namespace paf {

std::unique_ptr<H2ClientConnection> H2ClientConnection::create(H2Config config, Clock clock) {
  return std::make_unique<h2::ClientConnectionImpl>(config, std::move(clock));
}

}  // namespace paf

namespace paf::h2 {
namespace {

// The status of a response head, 0 if it has none that parses.
int status_of(const Headers& fields) {
  int status = 0;
  for (char c : fields.get(":status").value_or(""))
    status = c >= '0' && c <= '9' && status < 1000 ? status * 10 + (c - '0') : 0;
  return status;
}

Headers without_pseudo_fields(const Headers& fields) {
  Headers headers;
  for (const Headers::Field field : fields)
    if (!field.name.starts_with(':')) headers.add(field.name, field.value);
  return headers;
}

}  // namespace

// --- ClientExchange --------------------------------------------------------------

ClientExchange::ClientExchange(Session* session, Request request, ResponseHandler on_response)
    : Stream(session, session->config().write_high_water_mark),
      request_(std::move(request)),
      on_response_(std::move(on_response)) {}

Result<DataEncoder> ClientExchange::request_encoder() const {
  if (auto declared = request_.headers.get("content-length")) {
    auto length = http::parse_content_length(*declared);
    if (!length) return paf::fail(Errc::invalid_argument, "invalid Content-Length");
    return DataEncoder(*length > 0, length);
  }
  return DataEncoder(http::method_sends_body(request_.method), std::nullopt);
}

Result<void> ClientExchange::submit() {
  if (auto checked = http::check_fields(request_.headers); !checked) return checked;
  auto encoder = request_encoder();
  if (!encoder) return std::unexpected(encoder.error());
  // The request stays with the exchange until the stream is closed: its
  // text is pinned (see FieldList); the configuration's scheme is copied.
  FieldList fields;
  fields.add(":method", request_.method_name(), /*pinned=*/true);
  fields.add(":scheme", session_->config().scheme);
  fields.add(":authority", request_.authority(), /*pinned=*/true);
  fields.add(":path", request_.target().empty() ? std::string_view("/") : request_.target(),
             /*pinned=*/true);
  fields.add_fields(request_.headers, /*pinned=*/true);
  nghttp2_data_provider2 provider{};
  const nghttp2_data_provider2* source = open_outgoing(*encoder, &provider);
  auto nva = fields.nva();
  std::int32_t id =
      nghttp2_submit_request2(session_->nghttp2(), nullptr, nva.data(), nva.size(), source, this);
  if (id < 0) return paf::fail(Errc::invalid_argument, nghttp2_strerror(id), id);
  set_id(id);
  session_->adopt(this);
  if (!encoder->has_body()) (void)outgoing_.close({});
  session_->wake_writer();
  return {};
}

bool ClientExchange::on_head(Headers fields, bool oversized) {
  if (oversized) {
    on_too_large(0, Error{Errc::limit_exceeded, "response header fields too large"});
    return true;
  }
  const int status = status_of(fields);
  // Interim responses (100 Continue, 103 Early Hints) are skipped.
  if (status >= 100 && status < 200) return false;
  head_delivered_ = true;
  auto callback = std::move(on_response_);
  on_response_ = nullptr;
  if (callback) callback(Response{status, without_pseudo_fields(fields)}, BodyReader(this));
  return true;
}

void ClientExchange::on_too_large(int, const Error& error) {
  reset(NGHTTP2_CANCEL);
  fail(error);
}

void ClientExchange::on_cut_short(const Error& error) { fail(error); }

void ClientExchange::report_error(const Error& error) {
  if (!attached()) return;
  reset(NGHTTP2_CANCEL);
  fail(error);
}

void ClientExchange::cancel() { report_error(Error{Errc::cancelled, "the request was cancelled"}); }

void ClientExchange::fail(const Error& error) {
  outgoing_.abandon();
  body_.end(std::unexpected(error));
  if (head_delivered_) return;
  auto callback = std::move(on_response_);
  on_response_ = nullptr;
  if (callback) callback(std::unexpected(error), BodyReader());
}

// --- ClientConnectionImpl ---------------------------------------------------------

ClientConnectionImpl::ClientConnectionImpl(H2Config config, Clock clock)
    : session_(Session::Kind::client, config, std::move(clock), this) {}

Result<BodyWriter> ClientConnectionImpl::request(Request request, ResponseHandler on_response) {
  if (!session_.accepting_streams()) return paf::fail(Errc::closed, "the connection is closed");
  auto* exchange = new ClientExchange(&session_, std::move(request), std::move(on_response));
  BodyWriter writer(exchange);
  if (auto submitted = exchange->submit(); !submitted) return std::unexpected(submitted.error());
  return writer;
}

}  // namespace paf::h2
