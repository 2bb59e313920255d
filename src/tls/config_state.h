// What a built TlsConfig and a saved TlsSession hold: the mbedTLS objects,
// kept at stable addresses (mbedTLS keeps pointers to them).
#ifndef PAF_SRC_TLS_CONFIG_STATE_H
#define PAF_SRC_TLS_CONFIG_STATE_H

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "paf/buffer.h"
#include "paf/tls.h"

namespace paf::tls {

// A server's certificate chain and key, and its leaf alone to match SNI.
struct ServerCertificate {
  ServerCertificate();
  ~ServerCertificate();
  ServerCertificate(const ServerCertificate&) = delete;
  ServerCertificate& operator=(const ServerCertificate&) = delete;

  // Whether the leaf is valid for `host_name` (mbedTLS's own name check).
  bool names(std::string_view host_name) const;

  mbedtls_x509_crt chain;
  mbedtls_pk_context key;
  mbedtls_x509_crt leaf;
};

}  // namespace paf::tls

namespace paf {

struct TlsHandshakeAnswers::State {
  struct Answer {
    Buffer name;
    std::shared_ptr<tls::ServerCertificate> certificate;
  };
  // The answer for `name` (ASCII case ignored), or null.
  std::shared_ptr<tls::ServerCertificate> find(std::string_view name) const;

  Buffer protocol;
  std::vector<Answer> answers;
};

struct TlsConfig::State {
  State();
  ~State();
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // Whether `leaf` is one of the certificates trusted as they are.
  bool trusts_as_is(const mbedtls_x509_crt& leaf) const;

  mbedtls_ssl_config ssl;
  bool server = false;
  bool verify_peer = true;
  std::uint64_t handshake_timeout = 0;
  std::vector<std::unique_ptr<tls::ServerCertificate>> certificates;  // server
  mbedtls_x509_crt trusted_cas;                                       // client
  mbedtls_x509_crt trusted_certificates;                              // client
  bool has_trusted_certificates = false;
  std::vector<Buffer> alpn_names;                      // NUL-terminated
  std::vector<const char*> alpn_list;                  // into alpn_names, NULL-terminated
  std::vector<TlsHandshakeAnswers> handshake_answers;  // server
  mbedtls_ssl_ticket_context tickets;                  // server, mutated as keys rotate
  mbedtls_ssl_cache_context session_cache;  // server (TLS 1.2 session IDs), mutated by handshakes
};

struct TlsSession::State {
  State() { mbedtls_ssl_session_init(&session); }
  ~State() { mbedtls_ssl_session_free(&session); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  mbedtls_ssl_session session;
};

}  // namespace paf

#endif
