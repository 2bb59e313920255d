#include "random.h"

#include <psa/crypto.h>

// mbedTLS 3.6's psa_util.h lacks the extern "C" of its other headers.
extern "C" {
#include <mbedtls/psa_util.h>
}

#include "error.h"

namespace paf::tls {

Result<void> start_crypto() {
  // psa_crypto_init() is itself idempotent; a failure (no entropy) is not
  // remembered, so a later call tries again.
  psa_status_t status = psa_crypto_init();
  if (status != PSA_SUCCESS)
    return fail(Errc::tls_error, "TLS: cannot start PSA crypto (no entropy source?)", status);
  return {};
}

int random_bytes(void* context, unsigned char* output, std::size_t size) {
  return mbedtls_psa_get_random(context, output, size);
}

void* random_context() { return MBEDTLS_PSA_RANDOM_STATE; }

}  // namespace paf::tls
