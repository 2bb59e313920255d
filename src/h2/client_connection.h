// The HTTP/2 client connection: each request opens a stream; responses come
// back on their streams in whatever order the server answers.
#ifndef PAF_H2_CLIENT_CONNECTION_H
#define PAF_H2_CLIENT_CONNECTION_H

#include <cstdint>

#include "paf/h2.h"
#include "session.h"
#include "stream.h"

namespace paf::h2 {

// One request sent and its response: the request body is the outgoing body,
// the response body the incoming one.
class ClientExchange final : public Stream {
 public:
  ClientExchange(Session* session, Request request, ResponseHandler on_response);

  const Request& request() const override { return request_; }
  Result<void> respond_with_string(Response, Buffer) override { return not_a_server(); }
  Result<void> respond_with_streaming(Response) override { return not_a_server(); }
  // The application gives up on the exchange: its stream is cancelled.
  void report_error(const Error& error) override;
  // As report_error, with Errc::cancelled (paf/h2.h says what it does).
  void cancel() override;
  bool response_started() const override { return head_delivered_; }

  // Opens the stream; its writer streams the request body.
  Result<void> submit();

 protected:
  bool on_head(Headers fields, bool oversized) override;
  void on_too_large(int status, const Error& error) override;
  void on_cut_short(const Error& error) override;

 private:
  ~ClientExchange() override = default;
  static Result<void> not_a_server() {
    return paf::fail(Errc::not_supported, "a client exchange has no response to send");
  }
  // The request's body framing: none, or what Content-Length declares.
  Result<DataEncoder> request_encoder() const;
  // The application hears why the exchange failed.
  void fail(const Error& error);

  Request request_;
  ResponseHandler on_response_;
  bool head_delivered_ = false;
};

class ClientConnectionImpl final : public H2ClientConnection, private SessionRole {
 public:
  ClientConnectionImpl(H2Config config, Clock clock);

  Result<BodyWriter> request(Request request, ResponseHandler on_response) override;
  std::size_t requests_in_flight() const override { return session_.open_streams(); }
  Result<void> set_initial_window_size(std::uint32_t size) override {
    return session_.set_initial_window_size(size);
  }

  ReadOperation next_read_operation() override { return session_.next_read_operation(); }
  std::size_t read(Bytes bytes) override { return session_.read(bytes); }
  std::size_t read_eof(Bytes bytes) override { return session_.read_eof(bytes); }
  void yield_reader(Wakeup wakeup) override { session_.yield_reader(std::move(wakeup)); }
  WriteOperation next_write_operation() override { return session_.next_write_operation(); }
  void report_write_result(WriteResult result) override { session_.report_write_result(result); }
  void yield_writer(Wakeup wakeup) override { session_.yield_writer(std::move(wakeup)); }
  std::uint64_t deadline() const override { return session_.deadline(); }
  void on_deadline(std::uint64_t now_ns) override { session_.on_deadline(now_ns); }
  void report_error(const Error& error) override { session_.report_error(error); }
  void shutdown() override { session_.shutdown(); }
  bool is_closed() const override { return session_.is_closed(); }

 private:
  // A server opens no stream: push is off (SETTINGS_ENABLE_PUSH 0).
  Stream* accept_stream(std::int32_t) override { return nullptr; }

  Session session_;
};

}  // namespace paf::h2

#endif
