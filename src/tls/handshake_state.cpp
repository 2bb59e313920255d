// What mbedTLS shows of a handshake only through its state machine, read
// here alone: this file opts in to mbedTLS's private fields.
#define MBEDTLS_ALLOW_PRIVATE_ACCESS
#include <mbedtls/ssl.h>

#include "engine.h"

namespace paf::tls {

bool server_certificate_is_next(const mbedtls_ssl_context& ssl) {
  return ssl.MBEDTLS_PRIVATE(state) == MBEDTLS_SSL_SERVER_CERTIFICATE;
}

}  // namespace paf::tls
