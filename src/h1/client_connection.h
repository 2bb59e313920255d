// The HTTP/1.x client connection: requests written in order (pipelined when
// the application sends several), responses read in the same order, the
// connection reused while both sides keep it alive.
#ifndef PAF_H1_CLIENT_CONNECTION_H
#define PAF_H1_CLIENT_CONNECTION_H

#include <algorithm>
#include <vector>

#include "body.h"
#include "message_parser.h"
#include "paf/detail/exchange.h"
#include "paf/h1.h"

namespace paf::h1 {

class ClientConnectionImpl;

// One request sent and its response: the request body is the outgoing body,
// the response body the incoming one.
class ClientExchange final : public Exchange {
 public:
  ClientExchange(ClientConnectionImpl* connection, Request request, ResponseHandler on_response);

  const Request& request() const override { return request_; }
  HttpVersion version() const override { return request_.version; }
  Result<void> respond_with_string(Response, Buffer) override { return not_a_server(); }
  Result<void> respond_with_streaming(Response) override { return not_a_server(); }
  // The application gives up on the exchange: the connection cannot be reused.
  void report_error(const Error& error) override;
  // The request leaves the queue, or the connection closes (paf/h1.h).
  void cancel() override;
  bool response_started() const override { return head_delivered_; }
  void set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) override;
  void set_on_end(Function<void(Result<void>)> on_end) override { body_.set_on_end(std::move(on_end)); }
  void pause_body(bool paused) override;
  void discard_body() override;
  const Headers& body_trailers() const override { return body_.trailers(); }
  Result<Backpressure> write_body(std::span<const std::uint8_t> bytes) override;
  Result<Backpressure> write_body(Buffer&& bytes) override;
  void on_body_writable(Function<void()> callback) override { request_body_.on_writable(std::move(callback)); }
  Result<void> close_body(Headers trailers) override;

  // --- for the connection ---
  OutgoingBody& outgoing() { return request_body_; }
  bool request_sent() const { return !request_body_.is_open() && request_body_.output().empty(); }
  // Some of the request went out: the server may have begun to answer it.
  bool sending_started() const { return sending_started_; }
  void note_sent(std::size_t n) { sending_started_ = sending_started_ || n > 0; }
  bool response_complete() const { return body_.ended(); }
  bool wants_body() const { return !head_delivered_ || body_.ended() || body_.wants_data(); }
  void deliver_head(Response response);
  void deliver_body(std::span<const std::uint8_t> bytes) { body_.deliver(bytes); }
  void end_body(Headers trailers) { body_.end({}, std::move(trailers)); }
  // The connection is gone or failed: the application hears why.
  void fail(const Error& error);

 private:
  ~ClientExchange() override = default;
  static Result<void> not_a_server() { return paf::fail(Errc::not_supported, "a client exchange has no response to send"); }
  Result<Backpressure> after_write(Result<Backpressure> written);

  ClientConnectionImpl* connection_;  // null once detached
  Request request_;
  ResponseHandler on_response_;
  bool head_delivered_ = false;
  bool sending_started_ = false;
  IncomingBody body_;          // the response's
  OutgoingBody request_body_;  // the request: head and body
};

class ClientConnectionImpl final : public H1ClientConnection {
 public:
  ClientConnectionImpl(H1Config config, Clock clock);
  ~ClientConnectionImpl() override;

  Result<BodyWriter> request(Request request, ResponseHandler on_response) override;
  std::size_t requests_in_flight() const override { return exchanges_.size(); }

  ReadOperation next_read_operation() override;
  std::size_t read(Bytes bytes) override;
  std::size_t read_eof(Bytes bytes) override;
  void yield_reader(Wakeup wakeup) override { reader_wakeup_ = std::move(wakeup); }
  WriteOperation next_write_operation() override;
  void report_write_result(WriteResult result) override;
  void yield_writer(Wakeup wakeup) override { writer_wakeup_ = std::move(wakeup); }
  std::uint64_t deadline() const override { return std::min(idle_deadline_, response_deadline_); }
  void on_deadline(std::uint64_t now_ns) override;
  void report_error(const Error& error) override { close_now(error); }
  void shutdown() override;
  bool is_closed() const override { return reading_done_ && writing_done_; }

  // --- for the exchanges ---
  const H1Config& config() const { return config_; }
  void wake_reader();
  void wake_writer();
  void cancel(ClientExchange* exchange);

 private:
  Result<BodyEncoder> prepare_request(Request& request) const;
  // The exchange whose response is being read: the first without one.
  ClientExchange* responding() const;
  bool can_parse() const;
  void handle(const ParseStep& step);
  void begin_response();
  void start_response();
  void complete_response();
  void settle_finished();
  // Arms the response timeout for the exchange whose response is awaited
  // (its request sent, no head yet), or disarms it.
  void update_response_deadline();
  void close_now(const Error& error);
  std::uint64_t after(std::uint64_t timeout_ns);

  H1Config config_;
  Clock clock_;
  MessageParser parser_;
  std::vector<ClientExchange*> exchanges_;  // in request order; each holds a reference
  ClientExchange* presented_ = nullptr;     // whose output the runtime is writing
  bool interim_ = false;                    // a 1xx response is being read
  bool keep_alive_ = true;
  bool reading_done_ = false;
  bool writing_done_ = false;
  std::uint64_t idle_deadline_ = kNoDeadline;
  std::uint64_t response_deadline_ = kNoDeadline;
  const ClientExchange* awaited_ = nullptr;  // whose head response_deadline_ waits for
  Wakeup reader_wakeup_;
  Wakeup writer_wakeup_;
};

}  // namespace paf::h1

#endif
