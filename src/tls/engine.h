// What a TlsFlow's mbedTLS state is, shared by the flow and the config's
// callbacks (which find the flow through the mbedTLS context's user data).
#ifndef PAF_SRC_TLS_ENGINE_H
#define PAF_SRC_TLS_ENGINE_H

#include <mbedtls/ssl.h>

#include <cstdint>
#include <string_view>

#include "paf/buffer.h"
#include "paf/tls.h"

namespace paf {

struct TlsFlow::Engine {
  Engine() { mbedtls_ssl_init(&ssl); }
  ~Engine() { mbedtls_ssl_free(&ssl); }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  mbedtls_ssl_context ssl;
  const TlsConfig::State* config = nullptr;
  Buffer server_name;  // server: the client's SNI, during the handshake
  // Client verification (see tls_flow.cpp's verify_server_certificate).
  bool certificate_seen = false;     // the server sent a certificate this handshake
  std::uint32_t deferred_flags = 0;  // flags of the chain above the leaf
  bool session_offered = false;
};

namespace tls {

// Server: the SNI the client sent, recorded on the flow being handshaken.
void remember_server_name(mbedtls_ssl_context& ssl, std::string_view name);

}  // namespace tls
}  // namespace paf

#endif
