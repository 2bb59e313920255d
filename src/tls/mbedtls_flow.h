// paf::TlsFlow on mbedTLS: the state of one connection. Only src/tls sees it;
// applications hold the paf::TlsFlow interface that TlsFlow::server and
// TlsFlow::client return.
#ifndef PAF_SRC_TLS_MBEDTLS_FLOW_H
#define PAF_SRC_TLS_MBEDTLS_FLOW_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "paf/buffer.h"
#include "paf/detail/anchor.h"
#include "paf/flow.h"
#include "paf/loop.h"
#include "paf/result.h"
#include "paf/tls.h"

namespace paf {

class MbedtlsFlow final : public TlsFlow {
 public:
  // The flow, started: its handshake goes with its first read or write.
  static Result<std::unique_ptr<TlsFlow>> make(Loop& loop, const TlsConfig& config,
                                               std::unique_ptr<Flow> inner,
                                               std::string_view host_name,
                                               const TlsSession& resume);

  ~MbedtlsFlow() override;

  // Flow (see paf::TlsFlow).
  Result<std::size_t> read(MutableBytes buffer) override;
  Result<std::size_t> writev(std::span<const Bytes> buffers) override;
  Result<void> shutdown_write() override;
  void close() override;
  void when_readable(Function<void()> wakeup) override;
  void when_writable(Function<void()> wakeup) override;
  std::string_view peer() const override { return inner_->peer(); }
  bool write_pending() const override {
    return !closed_ && !failure_ && !write_error_ && queued_ciphertext() > 0;
  }

  // SecureFlow.
  Result<void> handshake() override;
  bool handshake_done() const override { return handshake_done_; }
  bool handshake_only() const override { return handshake_only_; }
  std::string_view alpn() const override { return alpn_; }
  std::string_view server_name() const override { return server_name_.view(); }

  // TlsFlow.
  TlsVersion version() const override { return version_; }
  std::string_view cipher_suite() const override { return cipher_suite_; }
  bool resumed() const override { return resumed_; }
  TlsSession session() const override { return session_; }

  struct Engine;  // the mbedTLS state; defined in src/tls
  // fuzz/tls_post_handshake.cpp: a client flow's engine, to send records of
  // any type under the keys it agreed.
  friend struct MbedtlsFlowProbe;

 private:
  MbedtlsFlow(Loop& loop, TlsConfig config, std::unique_ptr<Flow> inner);
  Result<void> start(std::string_view host_name, const TlsSession& resume);

  Result<void> drive_handshake();
  int step_handshake();
  void on_handshake_done();
  void save_session();
  Result<std::size_t> read_plaintext(MutableBytes buffer);
  Result<std::size_t> encrypt(std::span<const Bytes> buffers);
  Result<void> write_records(Bytes plaintext);
  int write_plaintext(Bytes plaintext);
  std::size_t queued_ciphertext() const { return ciphertext_.size() - ciphertext_sent_; }
  Result<void> flush_ciphertext();
  void compact_ciphertext();
  void send_close_notify();
  void finish_write_side();
  std::unexpected<Error> fail_flow(Error error);
  std::unexpected<Error> engine_failure(int code);
  void release();
  void on_handshake_timeout();

  bool read_ready() const;
  bool write_ready() const;
  void update_inner_wakeups();
  void on_inner_writable();
  void post_wakeups();
  void fire_wakeups(bool readable, bool writable);

  // The engine's transport: mbedTLS calls these through its BIO hooks.
  friend struct TlsTransport;
  int transport_send(Bytes bytes);
  int transport_receive(MutableBytes buffer);

  Loop& loop_;
  TlsConfig config_;
  std::unique_ptr<Flow> inner_;
  std::unique_ptr<Engine> engine_;  // null once released

  // Ciphertext produced and not yet taken by the inner flow: the engine never
  // waits on the inner flow's room, so it never asks to be called again with
  // the same bytes, and writev keeps the Flow contract.
  Buffer ciphertext_;
  std::size_t ciphertext_sent_ = 0;  // bytes of ciphertext_ already written
  // Ciphertext read ahead from the inner flow and not yet taken by the
  // engine, which asks for a record's header and its body one at a time:
  // one inner read serves several records. Its storage is taken when a read
  // needs it, uninitialised, and given back when the inner flow runs dry.
  std::unique_ptr<std::uint8_t[]> read_ahead_;
  std::size_t read_ahead_size_ = 0;   // bytes read into it
  std::size_t read_ahead_taken_ = 0;  // of which the engine took these
  bool holds_whole_record() const;
  std::optional<Error> inner_error_;  // how reading the inner flow failed under the engine
  std::optional<Error> write_error_;  // how writing it failed: writes end, reading goes on

  Function<void()> read_wakeup_, write_wakeup_;
  bool inner_readable_armed_ = false, inner_writable_armed_ = false;
  bool wakeups_posted_ = false;

  std::optional<Error> failure_;  // sticky: every later operation reports it
  bool closed_ = false;
  bool handshake_done_ = false;
  bool end_of_stream_ = false;  // the peer's close_notify was read
  bool write_shut_ = false;     // shutdown_write() was called
  bool close_notify_sent_ = false;
  bool inner_write_shut_ = false;

  std::string_view alpn_;  // points into the config's ALPN list
  Buffer server_name_;
  TlsVersion version_ = TlsVersion::tls1_3;
  std::string_view cipher_suite_;  // mbedTLS's static name
  bool resumed_ = false;
  bool handshake_only_ = false;  // a TlsHandshakeAnswers certificate answered
  TlsSession session_;
  TimerId handshake_timer_;
  Anchor<MbedtlsFlow> anchor_{this};  // a wakeup may destroy the flow
};

}  // namespace paf

#endif
