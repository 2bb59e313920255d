// The one random generator of paf's TLS: PSA's DRBG, which mbedTLS seeds from
// its entropy module (the OS on a host; paf_entropy through
// MBEDTLS_ENTROPY_HARDWARE_ALT on bare metal, see src/tls/port). TLS 1.3 needs
// PSA started anyway, and handing its generator to the legacy APIs too
// (mbedtls_ssl_conf_rng, key parsing, tickets) keeps one seeded state.
#ifndef PAF_SRC_TLS_RANDOM_H
#define PAF_SRC_TLS_RANDOM_H

#include <cstddef>

#include "paf/result.h"

namespace paf::tls {

// Starts PSA crypto (and so seeds the generator) on first use; idempotent.
Result<void> start_crypto();

// An mbedTLS f_rng: fills `output`; pass random_context() as its p_rng.
int random_bytes(void* context, unsigned char* output, std::size_t size);
void* random_context();

}  // namespace paf::tls

#endif
