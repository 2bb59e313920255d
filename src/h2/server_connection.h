// The HTTP/2 server connection: each stream the client opens is a request,
// handed to the request handler as soon as its head is complete; streams are
// served concurrently and answered in any order.
#ifndef PAF_H2_SERVER_CONNECTION_H
#define PAF_H2_SERVER_CONNECTION_H

#include <cstdint>
#include <vector>

#include "paf/h2.h"
#include "server_exchange.h"
#include "session.h"
#include "stream.h"

namespace paf::h2 {

class ServerConnectionImpl final : public H2ServerConnection, private SessionRole {
 public:
  ServerConnectionImpl(H2Config config, RequestHandler handler, ErrorHandler error_handler,
                       Clock clock);
  ~ServerConnectionImpl() override;

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
  std::size_t streams_in_flight() const override { return session_.open_streams(); }
  Result<void> set_initial_window_size(std::uint32_t size) override {
    return session_.set_initial_window_size(size);
  }

  // --- for the exchanges ---
  void handle(Reqd& reqd) { handler_(reqd); }
  ErrorHandler& error_handler() { return error_handler_; }

 private:
  Stream* accept_stream(std::int32_t id) override;
  // An exchange that no one else holds is made new in place and kept for a
  // stream to come, with its request's storage and its output queue's: a
  // connection serves its streams without allocating an exchange, a request's
  // fields or its text for each. At most kSpareExchanges wait; the rest are
  // deleted.
  void retire(Stream* stream) override;

  static constexpr std::size_t kSpareExchanges = 8;
  RequestHandler handler_;
  ErrorHandler error_handler_;
  std::vector<ServerExchange*> spares_;
  Session session_;  // declared last, destroyed first: streams detach while the handlers live
};

}  // namespace paf::h2

#endif
