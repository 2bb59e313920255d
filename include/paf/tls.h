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

// Certificates that answer one ALPN protocol whose whole exchange is the
// handshake, by the name the client asks for (SNI): RFC 8737's acme-tls/1,
// where the certificate itself is the answer. A server config given them
// (TlsConfig::Builder::handshake_answers) also speaks that protocol, last in
// its preference, so that only a client offering nothing it prefers
// negotiates it; such a client gets the certificate added for its SNI (no
// match or no SNI: the handshake fails), and the flow then ends
// (SecureFlow::handshake_only()). Names come and go while configs using them
// run: copies share one set.
class TlsHandshakeAnswers {
 public:
  struct State;  // defined in src/tls
  explicit TlsHandshakeAnswers(std::string_view protocol);
  std::string_view protocol() const;
  // Answers a client asking for `name` (compared without regard to ASCII
  // case) with `chain_pem` and `key_pem` (as TlsConfig::server takes them),
  // replacing an earlier answer for it. Fails with invalid_argument or
  // tls_error when they do not parse or match.
  Result<void> add(std::string_view name, std::string_view chain_pem, std::string_view key_pem);
  void remove(std::string_view name);
  std::size_t size() const;
  const State& state() const { return *state_; }

 private:
  std::shared_ptr<State> state_;
};

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
  // A server with no certificate of its own (yet): only its
  // handshake_answers() answer, every other handshake fails (as before
  // ACME's TLS-ALPN-01 brings the first certificate).
  static Builder server();
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

  // Server: answers `answers.protocol()` by a certificate alone (see
  // TlsHandshakeAnswers); the protocol goes after those of alpn(). Normal
  // clients, which offer one of those, never see it.
  Builder& handshake_answers(TlsHandshakeAnswers answers);

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
  std::vector<TlsHandshakeAnswers> handshake_answers_;
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

// One TLS connection over an inner flow. The mbedTLS state behind it lives
// in src/tls; the factories below make it.
class TlsFlow : public SecureFlow {
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
  ~TlsFlow() override = default;

  // Flow. Reading returns end of stream only after the peer's close_notify;
  // an inner stream ending without one fails with closed (a truncation).
  // writev() takes at most about one TLS record's worth while the inner flow
  // is slow (backpressure), and queues the ciphertext it produced; small
  // buffers in a row share records (a writev of many pieces is not a record
  // per piece). write_pending(): records (and the close_notify) encrypted but
  // not yet taken by the inner flow.
  // shutdown_write() sends close_notify (after the handshake, if it is not
  // done yet) and then shuts the inner flow's write side. close() sends a
  // close_notify if it can at once, frees the mbedTLS state and closes the
  // inner flow. Destroying the flow closes it.

  // After the handshake: what was negotiated.
  virtual TlsVersion version() const = 0;
  virtual std::string_view cipher_suite() const = 0;
  // Whether the handshake resumed an earlier session, without certificates:
  // TLS 1.3 by a ticket, TLS 1.2 by a ticket or a session ID. A client knows
  // only when it verifies the server (it then saw no certificate).
  virtual bool resumed() const = 0;
  // Client: the latest session to resume a later connection with, empty
  // until there is one. TLS 1.3 servers send their tickets after the
  // handshake: the session appears once read() has met one.
  virtual TlsSession session() const = 0;

 protected:
  TlsFlow() = default;
};

}  // namespace paf

#endif
