// What a MbedtlsFlow's mbedTLS state is, shared by the flow and the config's
// callbacks (which find the flow through the mbedTLS context's user data).
#ifndef PAF_SRC_TLS_ENGINE_H
#define PAF_SRC_TLS_ENGINE_H

#include <mbedtls/ssl.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "paf/buffer.h"
#include "mbedtls_flow.h"

namespace paf {
namespace tls {
struct ServerCertificate;
}

struct MbedtlsFlow::Engine {
  Engine() { mbedtls_ssl_init(&ssl); }
  ~Engine() { mbedtls_ssl_free(&ssl); }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  mbedtls_ssl_context ssl;
  const TlsConfig::State* config = nullptr;
  Buffer server_name;  // server: the client's SNI, during the handshake
  // The server's certificate went on the wire this handshake: a client saw it
  // (see tls_flow.cpp's verify_server_certificate), a server came to send it.
  // A resumed handshake has none.
  bool certificate_seen = false;
  // Client verification (see verify_server_certificate).
  std::uint32_t deferred_flags = 0;  // flags of the chain above the leaf
  bool session_offered = false;
  // Server: the TlsHandshakeAnswers certificate presented, held for the
  // handshake (mbedTLS points into it) even if its name is removed meanwhile.
  std::shared_ptr<tls::ServerCertificate> answer;
};

namespace tls {

// Server: the SNI the client sent, recorded on the flow being handshaken.
void remember_server_name(mbedtls_ssl_context& ssl, std::string_view name);

// Server: whether the handshake's next step sends the server's certificate,
// which a resumed handshake (TLS 1.2 abbreviated, TLS 1.3 by a ticket's PSK)
// never does. mbedTLS tells this only through its state machine.
bool server_certificate_is_next(const mbedtls_ssl_context& ssl);

}  // namespace tls
}  // namespace paf

#endif
