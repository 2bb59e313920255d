// One request and its response on an HTTP/1.x server connection: the request
// body as it is read, and the response's bytes until they are written. The
// connection reads into it and writes out of it; the application reaches it
// through Reqd, BodyReader and BodyWriter.
#ifndef PAF_H1_SERVER_EXCHANGE_H
#define PAF_H1_SERVER_EXCHANGE_H

#include <cstdint>
#include <span>

#include "../http/response_state.h"
#include "body.h"
#include "framing.h"
#include "paf/detail/exchange.h"
#include "paf/reqd.h"

namespace paf::h1 {

class ServerConnectionImpl;

// What the connection learned about a request from its head.
struct RequestFacts {
  bool keep_alive = true;      // the client keeps the connection after it
  bool has_body = false;
  bool expect_continue = false;
  bool upgrade = false;        // Upgrade or CONNECT: the handler may take the flow
  bool readable = true;        // false: the request could not be read (error reply only)
};

class ServerExchange final : public Exchange {
 public:
  ServerExchange(ServerConnectionImpl* connection, Request request, RequestFacts facts);

  // --- Exchange, for the application ---
  const Request& request() const override { return request_; }
  HttpVersion version() const override { return request_.version; }
  Result<void> respond_with_string(Response response, Buffer body) override;
  Result<void> respond_with_streaming(Response response) override;
  Result<void> respond_with_upgrade(Response response) override;
  void report_error(const Error& error) override;
  bool response_started() const override { return response_state_.started(); }
  void set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) override;
  void set_on_end(Function<void(Result<void>)> on_end) override;
  void pause_body(bool paused) override;
  void discard_body() override;
  const Headers& body_trailers() const override { return body_.trailers(); }
  Result<Backpressure> write_body(std::span<const std::uint8_t> bytes) override;
  Result<Backpressure> write_body(Buffer&& bytes) override;
  void on_body_writable(Function<void()> callback) override;
  Result<void> close_body(Headers trailers) override;

  // --- for the connection ---
  // Whether the connection may parse on: the body is wanted, or there is none.
  bool wants_body() const;
  // Draining: the body is discarded so that the connection can be kept.
  bool draining() const { return draining_; }
  bool can_drain() const { return !(facts_.expect_continue && !continue_sent_); }
  void start_draining();
  void deliver_body(std::span<const std::uint8_t> bytes);
  void end_body(Result<void> result, Headers trailers = {});
  // The request could not be read on: reply with `status` if no response started.
  void fail_request(int status, const Error& error);
  // The connection is going away: fail what is pending, drop every callback.
  void abort(const Error& error);
  // The runtime wrote `n` bytes of output().
  void report_written(std::size_t n);

  OutputQueue& output() { return response_.output(); }
  bool request_complete() const { return body_.ended(); }
  bool response_complete() const { return response_state_.complete(); }
  bool close_after() const { return close_after_; }
  bool upgrading() const { return upgrading_; }
  const RequestFacts& facts() const { return facts_; }

 protected:
  void on_handles_dropped() override;

 private:
  ~ServerExchange() override = default;

  void send_continue();
  // Writes the head; decides the framing (known_length: respond_with_string).
  void start_response(Response& response, std::optional<std::uint64_t> known_length);
  void complete_response(Result<void> finished);
  void respond_with_error(int status, const Error& error);
  Result<Backpressure> after_write(Result<Backpressure> written);

  ServerConnectionImpl* connection_;  // null once detached
  Request request_;
  RequestFacts facts_;

  IncomingBody body_;  // the request's
  bool draining_ = false;
  bool continue_sent_ = false;

  http::ResponseState response_state_;
  OutgoingBody response_;
  bool close_after_ = false;
  bool upgrading_ = false;
};

}  // namespace paf::h1

#endif
