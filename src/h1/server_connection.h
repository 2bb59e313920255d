// The HTTP/1.x server connection: requests parsed in order, handed to the
// request handler as they arrive (up to max_pipelined_requests ahead), their
// responses written back in the same order.
#ifndef PAF_H1_SERVER_CONNECTION_H
#define PAF_H1_SERVER_CONNECTION_H

#include <vector>

#include "message_parser.h"
#include "paf/h1.h"
#include "server_exchange.h"

namespace paf::h1 {

class ServerConnectionImpl final : public H1ServerConnection {
 public:
  ServerConnectionImpl(H1Config config, RequestHandler handler, ErrorHandler error_handler, Clock clock);
  ~ServerConnectionImpl() override;

  ReadOperation next_read_operation() override;
  std::size_t read(Bytes bytes) override;
  std::size_t read_eof(Bytes bytes) override;
  void yield_reader(Wakeup wakeup) override { reader_wakeup_ = std::move(wakeup); }
  WriteOperation next_write_operation() override;
  void report_write_result(WriteResult result) override;
  void yield_writer(Wakeup wakeup) override { writer_wakeup_ = std::move(wakeup); }
  std::uint64_t deadline() const override;
  void on_deadline(std::uint64_t now_ns) override;
  void report_error(const Error& error) override;
  void shutdown() override;
  bool is_closed() const override { return reading_done_ && writing_done_; }

  // --- for the exchanges ---
  const H1Config& config() const { return config_; }
  ErrorHandler& error_handler() { return error_handler_; }
  // Whether the connection closes after this exchange's response: it is the
  // last one and no request will follow.
  bool closing_after(const ServerExchange* exchange) const {
    return (reading_done_ || shutting_down_) && !exchanges_.empty() && exchanges_.back() == exchange;
  }
  void on_output(ServerExchange* exchange);
  void on_response_started(ServerExchange* exchange);
  void wake_reader();

 private:
  bool can_parse() const;
  void handle(const ParseStep& step);
  void begin_request();
  void start_exchange();
  Result<void> check_request(const Request& request) const;
  void complete_request();
  void set_reading(ServerExchange* exchange);
  ServerExchange* take_reading();
  void settle_upgrade();
  void fail_request(int status, const Error& error);
  void discard_drained(std::size_t n);
  // Pops the exchanges at the head that are done; decides keep-alive.
  void settle_finished();
  void finish_head();
  void close_now(const Error& error);
  void wake_writer();
  std::uint64_t after(std::uint64_t timeout_ns);

  H1Config config_;
  RequestHandler handler_;
  ErrorHandler error_handler_;
  Clock clock_;
  MessageParser parser_;

  // In request order; each holds a reference. The front one is being written.
  std::vector<ServerExchange*> exchanges_;
  ServerExchange* reading_ = nullptr;   // the request whose body is being read (a reference)
  ServerExchange* upgrading_ = nullptr; // parsed an Upgrade request, waiting for its answer
  std::uint64_t drained_bytes_ = 0;

  bool reading_done_ = false;  // no more requests will be read
  bool writing_done_ = false;
  bool upgraded_ = false;      // the 101 is out: the flow belongs to the application
  bool shutting_down_ = false;
  std::uint64_t header_deadline_ = kNoDeadline;
  std::uint64_t idle_deadline_ = kNoDeadline;
  std::uint64_t body_deadline_ = kNoDeadline;  // while the handler reads a body
  Wakeup reader_wakeup_;
  Wakeup writer_wakeup_;
};

}  // namespace paf::h1

#endif
