// One request and its response on an HTTP/2 server stream: the request's head
// and body as the session reads them, the response as nghttp2 sends it. The
// connection (server_connection.h) makes and recycles them; the application
// reaches one through Reqd, BodyReader and BodyWriter.
#ifndef PAF_H2_SERVER_EXCHANGE_H
#define PAF_H2_SERVER_EXCHANGE_H

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "../http/response_state.h"
#include "paf/detail/exchange.h"
#include "paf/reqd.h"
#include "session.h"
#include "stream.h"

namespace paf::h2 {

class ServerConnectionImpl;

// One request and its response on a stream.
class ServerExchange final : public Stream {
 public:
  // `storage`: a cleared request of an earlier exchange, whose storage this
  // one takes over (see ServerConnectionImpl::retire).
  ServerExchange(ServerConnectionImpl* connection, Session* session, Request storage = {});

  const Request& request() const override { return request_; }
  Result<void> respond_with_string(Response response, Buffer body) override;
  Result<void> respond_with_streaming(Response response) override;
  void report_error(const Error& error) override;
  bool response_started() const override { return response_state_.started(); }

 protected:
  bool on_head(Headers fields, bool oversized) override;
  bool take_pseudo_field(std::string_view name, std::string_view value) override;
  void on_too_large(int status, const Error& error) override;
  void on_handles_dropped() override;

 private:
  friend class ServerConnectionImpl;
  ~ServerExchange() override = default;

  // Submits the head; the body follows through the data source. With a
  // `content_length`, its Content-Length field replaces the response's.
  Result<void> start_response(Response& response, DataEncoder encoder,
                              std::optional<std::uint64_t> content_length = std::nullopt);
  void respond_with_error(int status, const Error& error);

  ServerConnectionImpl* connection_;  // valid while attached()
  Request request_;
  // The response's head, as nghttp2 sends it (see start_response).
  Headers response_fields_;
  std::array<char, 3> status_{};  // 200 to 999
  bool readable_ = false;         // the request's head was read (else only an error reply)
  http::ResponseState response_state_;
};

}  // namespace paf::h2

#endif
