// An HTTP/2 server exchange (see server_exchange.h).
#include "server_exchange.h"

#include <algorithm>
#include <utility>

#include "../http/error_reply.h"
#include "../http/fields.h"
#include "server_connection.h"

namespace paf::h2 {
namespace {

Error closed_error() { return Error{Errc::closed, "the stream is closed"}; }

// The request's fields, once its head is complete: its pseudo-header fields
// (RFC 9113 §8.3.1) were taken as they came (take_pseudo_field); nghttp2 has
// checked that they are well formed. The others become the request's as they
// are, without a copy.
void finish_request(Request& request, Headers fields) {
  request.version = HttpVersion::http_2;
  // RFC 9113 §8.2.3: Cookie may come split in several fields; the
  // application sees one, its crumbs joined by "; ", after the others.
  if (fields.count("cookie") > 1) {
    Buffer cookie;
    std::size_t joined = 0;
    for (const Headers::Field field : fields) {
      if (field.name != "cookie") continue;
      if (joined++ > 0) cookie.append("; ");
      cookie.append(field.value);
    }
    fields.remove("cookie");
    fields.add("cookie", cookie.view());
  }
  request.headers = std::move(fields);
  // CONNECT names no path: its target is the authority (RFC 9113 §8.5).
  if (request.method == Method::CONNECT) request.set_target(request.authority());
}

}  // namespace

ServerExchange::ServerExchange(ServerConnectionImpl* connection, Session* session, Request storage)
    : Stream(session, session->config().write_high_water_mark), connection_(connection) {
  storage.clear();
  give_block_storage(std::move(storage.headers));
  request_ = std::move(storage);
}

bool ServerExchange::take_pseudo_field(std::string_view name, std::string_view value) {
  if (name == ":method") {
    request_.set_method_name(value);
  } else if (name == ":path") {
    request_.set_target(value);
  } else if (name == ":authority") {
    request_.set_authority(value);
  }
  return true;  // :scheme names nothing a request keeps
}

bool ServerExchange::on_head(Headers fields, bool oversized) {
  if (oversized) {
    on_too_large(431, Error{Errc::limit_exceeded, "request header fields too large"});
    return true;
  }
  finish_request(request_, std::move(fields));
  readable_ = true;
  Reqd reqd(this);
  connection_->handle(reqd);
  return true;
}

void ServerExchange::on_too_large(int status, const Error& error) {
  // The error reply first: the reader's on_end learns the body was cut short.
  if (!response_state_.started()) respond_with_error(status, error);
  body_.end(std::unexpected(error));
}

Result<void> ServerExchange::start_response(Response& response, DataEncoder encoder,
                                            std::optional<std::uint64_t> content_length) {
  // The head's text stays with the exchange until the stream is closed: nghttp2 need not copy it.
  response_fields_ = std::move(response.headers);
  NumberText status(static_cast<std::uint64_t>(response.status));
  std::ranges::copy(status.view(), status_.begin());
  FieldList fields;
  fields.add(":status", {status_.data(), status_.size()}, /*pinned=*/true);
  const NumberText length(content_length.value_or(0));
  if (content_length) {
    fields.add_fields(response_fields_, /*pinned=*/true, /*except=*/"content-length");
    fields.add("content-length", length.view());  // copied by nghttp2
  } else {
    fields.add_fields(response_fields_, /*pinned=*/true);
  }
  nghttp2_data_provider2 provider{};
  const nghttp2_data_provider2* source = open_outgoing(encoder, &provider);
  auto nva = fields.nva();
  int submitted =
      nghttp2_submit_response2(session_->nghttp2(), id(), nva.data(), nva.size(), source);
  if (submitted != 0) {
    outgoing_.cut_short();
    return fail(Errc::invalid_argument, nghttp2_strerror(submitted), submitted);
  }
  response_state_.start_streaming();
  session_->wake_writer();
  return {};
}

Result<void> ServerExchange::respond_with_string(Response response, Buffer body) {
  if (auto checked = response_state_.check_can_respond(response, attached(), closed_error());
      !checked)
    return checked;
  const bool has_body = status_allows_body(response.status) && request_.method != Method::HEAD;
  // Its Content-Length is the body's, whatever the fields said. An empty
  // body: the head ends the stream.
  if (auto started = start_response(response, DataEncoder(has_body && !body.empty(), body.size()),
                                    has_body ? std::optional(body.size()) : std::nullopt);
      !started)
    return started;
  (void)outgoing_.write(std::move(body));
  (void)close_body({});
  response_state_.finish();
  return {};
}

Result<void> ServerExchange::respond_with_streaming(Response response) {
  if (auto checked = response_state_.check_can_respond(response, attached(), closed_error());
      !checked)
    return checked;
  std::optional<std::uint64_t> length;
  if (auto declared = response.headers.get("content-length")) {
    length = http::parse_content_length(*declared);
    if (!length) return fail(Errc::invalid_argument, "invalid Content-Length");
  }
  const bool has_body = status_allows_body(response.status) && request_.method != Method::HEAD;
  return start_response(response, DataEncoder(has_body, length));
}

void ServerExchange::respond_with_error(int status, const Error& error) {
  http::respond_with_error(*this, connection_->error_handler(), status, error,
                           readable_ ? &request_ : nullptr);
}

void ServerExchange::report_error(const Error& error) {
  if (!attached()) return;
  if (!response_state_.started()) return respond_with_error(500, error);
  // A response begun can only be cut short.
  if (outgoing_.is_open()) reset(NGHTTP2_INTERNAL_ERROR);
  response_state_.finish();
}

void ServerExchange::on_handles_dropped() {
  if (!attached() || (response_state_.started() && !outgoing_.is_open())) return;
  // No one can respond or finish the response any more.
  report_error(Error{Errc::invalid_argument, "the handler dropped the request without a response"});
}

}  // namespace paf::h2
