// TLS as a Flow over any Flow, on mbedTLS 3.6 (TLS 1.3 and 1.2): paf's
// Tls_mirage. A TlsConfig says who we are and whom we trust, once, for many
// connections; a TlsFlow is one connection over an inner flow (TCP, a Unix
// socket, an in-memory pair of a test).
//
//   auto tls = paf::TlsConfig::server(chain_pem, key_pem)
//                  .certificate(other_chain_pem, other_key_pem)  // chosen by SNI
//                  .alpn({"h2", "http/1.1"})
//                  .build();                                    // Result<TlsConfig>
//   auto flow = paf::TlsFlow::server(loop, *tls, std::move(accepted));
//
// No mbedTLS header leaks from here: the mbedTLS state lives in src/tls.
#ifndef PAF_TLS_H
#define PAF_TLS_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "paf/buffer.h"
#include "paf/flow.h"
#include "paf/loop.h"
#include "paf/result.h"
#include "paf/secure_flow.h"

namespace paf {

enum class TlsVersion : std::uint8_t { tls1_2, tls1_3 };

// Errors from building a config or from a handshake carry mbedTLS's own text
// for the failure (static, as every paf::Error message) and its error code in
// Error::detail (negative), or a paf message for what paf checks itself.

// Shared and immutable once built: copies are cheap handles to one state,
// which lives as long as the last config or flow using it.
class TlsConfig {
 public:
  class Builder;
  struct State;  // defined in src/tls

  // A server presenting `chain_pem` (leaf first, then intermediates) with
  // `key_pem` (ECDSA or RSA, PKCS#1, SEC1 or PKCS#8, unencrypted).
  static Builder server(std::string_view chain_pem, std::string_view key_pem);
  // A client; it verifies the server against the CAs given to trust_ca() or
  // the certificates given to trust_certificate(), unless insecure_for_tests().
  static Builder client();

  bool is_server() const;
  std::uint64_t handshake_timeout() const;  // ns; 0: none
  const State& state() const { return *state_; }

 private:
  explicit TlsConfig(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

// Collects the settings (copying the PEM text and names it is given) and
// parses and checks everything in build(). A setting for the other side (a
// CA for a server) makes build() fail with invalid_argument.
class TlsConfig::Builder {
 public:
  // Server: one more certificate chain and key. A client's SNI picks every
  // certificate whose leaf names it (DNS names, then the CN, wildcards as in
  // RFC 6125); with no SNI or no match, every certificate is a candidate.
  // Among candidates, mbedTLS takes the first the client's signature
  // algorithms accept (so an ECDSA and an RSA chain can serve one name).
  Builder& certificate(std::string_view chain_pem, std::string_view key_pem);

  // Client: trusts the CA certificates of a PEM bundle.
  Builder& trust_ca(std::string_view ca_bundle_pem);
  // Client: accepts a server whose leaf is exactly one of these certificates
  // (a self-signed one, or one whose CA is not trusted); its host name and
  // validity dates are still checked.
  Builder& trust_certificate(std::string_view certificate_pem);
  // Client: verifies nothing, not even the host name. For tests only.
  Builder& insecure_for_tests();

  // Server: the protocols it speaks, most preferred first (default: h2,
  // http/1.1); the first of them the client offers wins. Client: its offer
  // (default: none). An empty list turns ALPN off.
  Builder& alpn(std::initializer_list<std::string_view> protocols);
  Builder& alpn(std::span<const std::string_view> protocols);

  // The versions accepted (default: TLS 1.2 to TLS 1.3).
  Builder& versions(TlsVersion min, TlsVersion max);
  // Session resumption by tickets (default: on). A server issues tickets
  // under a key of its own, rotated daily; a client keeps them (TlsFlow::session).
  Builder& session_tickets(bool enabled);
  // Server: the TLS 1.2 session-ID cache, for clients that resume without
  // tickets: at most `max_entries` sessions (the oldest is dropped first),
  // each resumable for `lifetime_nanoseconds` (counted in whole seconds, at
  // least one). Default: 256 entries for 1 hour (an entry takes about 220
  // bytes: some 56 KiB when full); 0 entries: no cache.
  Builder& session_cache(std::size_t max_entries, std::uint64_t lifetime_nanoseconds);
  // How long a TlsFlow's handshake may take before it fails with timed_out
  // (default: 10 s; 0: no limit).
  Builder& handshake_timeout(std::uint64_t nanoseconds);

  Result<TlsConfig> build() const;

 private:
  friend class TlsConfig;
  explicit Builder(bool server) : server_(server) {}

  struct Certificate {
    Buffer chain_pem, key_pem;
  };
  Result<void> configure_server(State& state) const;
  Result<void> configure_client(State& state) const;
  Result<void> configure_session_cache(State& state) const;

  bool server_;
  std::vector<Certificate> certificates_;
  std::vector<Buffer> trusted_cas_, trusted_certificates_;
  std::vector<Buffer> alpn_;
  bool alpn_set_ = false;
  bool insecure_ = false;
  TlsVersion min_version_ = TlsVersion::tls1_2, max_version_ = TlsVersion::tls1_3;
  bool tickets_ = true;
  bool session_cache_set_ = false;
  std::size_t session_cache_entries_ = 256;
  std::uint64_t session_cache_lifetime_ = 3600'000'000'000;
  std::uint64_t handshake_timeout_ = 10'000'000'000;
};

// A client's saved session (a ticket and its secrets): given to a later
// TlsFlow::client, it resumes without a full handshake. A handle; empty when
// there is none.
class TlsSession {
 public:
  struct State;  // defined in src/tls
  TlsSession() = default;
  explicit TlsSession(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  explicit operator bool() const { return state_ != nullptr; }
  const State* state() const { return state_.get(); }

 private:
  std::shared_ptr<const State> state_;
};

class TlsFlow final : public SecureFlow {
 public:
  // A server end over `inner` (an accepted connection). The handshake starts
  // with the first read, writev or handshake; its deadline, the config's
  // handshake_timeout, runs from now on `loop`, which also delivers the
  // flow's own wakeups. `loop` must outlive the flow.
  static Result<std::unique_ptr<TlsFlow>> server(Loop& loop, const TlsConfig& config,
                                                 std::unique_ptr<Flow> inner);
  // A client end over `inner` (a connection to `host_name`'s server), sending
  // `host_name` as SNI (unless it is empty or an IP address) and verifying
  // the server's certificate names it. `resume`, if set, is offered.
  static Result<std::unique_ptr<TlsFlow>> client(Loop& loop, const TlsConfig& config,
                                                 std::unique_ptr<Flow> inner,
                                                 std::string_view host_name,
                                                 TlsSession resume = {});

  TlsFlow(const TlsFlow&) = delete;
  TlsFlow& operator=(const TlsFlow&) = delete;
  ~TlsFlow() override;

  // Flow. Reading returns end of stream only after the peer's close_notify;
  // an inner stream ending without one fails with closed (a truncation).
  // writev() takes at most about one TLS record's worth while the inner flow
  // is slow (backpressure), and queues the ciphertext it produced; small
  // buffers in a row share records (a writev of many pieces is not a record
  // per piece).
  // shutdown_write() sends close_notify (after the handshake, if it is not
  // done yet) and then shuts the inner flow's write side. close() sends a
  // close_notify if it can at once, frees the mbedTLS state and closes the
  // inner flow.
  Result<std::size_t> read(MutableBytes buffer) override;
  Result<std::size_t> writev(std::span<const Bytes> buffers) override;
  Result<void> shutdown_write() override;
  void close() override;
  void when_readable(Function<void()> wakeup) override;
  void when_writable(Function<void()> wakeup) override;
  std::string_view peer() const override { return inner_->peer(); }
  // Records (and the close_notify) encrypted but not yet taken by the inner flow.
  bool write_pending() const override {
    return !closed_ && !failure_ && !write_error_ && queued_ciphertext() > 0;
  }

  // SecureFlow.
  Result<void> handshake() override;
  bool handshake_done() const override { return handshake_done_; }
  std::string_view alpn() const override { return alpn_; }
  std::string_view server_name() const override { return server_name_.view(); }

  // After the handshake: what was negotiated.
  TlsVersion version() const { return version_; }
  std::string_view cipher_suite() const { return cipher_suite_; }
  // Whether the handshake resumed an earlier session, without certificates:
  // TLS 1.3 by a ticket, TLS 1.2 by a ticket or a session ID. A client knows
  // only when it verifies the server (it then saw no certificate).
  bool resumed() const { return resumed_; }
  // Client: the latest session to resume a later connection with, empty
  // until there is one. TLS 1.3 servers send their tickets after the
  // handshake: the session appears once read() has met one.
  TlsSession session() const { return session_; }

  struct Engine;  // the mbedTLS state; defined in src/tls

 private:
  TlsFlow(Loop& loop, TlsConfig config, std::unique_ptr<Flow> inner);
  Result<void> start(std::string_view host_name, const TlsSession& resume);

  Result<void> drive_handshake();
  int step_handshake();
  void on_handshake_done();
  void save_session();
  Result<std::size_t> read_plaintext(MutableBytes buffer);
  Result<std::size_t> encrypt(std::span<const Bytes> buffers);
  Result<void> write_records(Bytes plaintext);
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
  TlsSession session_;
  TimerId handshake_timer_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();  // a wakeup may destroy the flow
};

}  // namespace paf

#endif
