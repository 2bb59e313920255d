// The mbedTLS key behind a paf::jose::Key, for src/acme's own use (the CSR).
#ifndef PAF_SRC_ACME_JOSE_STATE_H
#define PAF_SRC_ACME_JOSE_STATE_H

#include <mbedtls/pk.h>

#include "paf/jose.h"

namespace paf::jose {

struct Key::State {
  mbedtls_pk_context pk;
  State() { mbedtls_pk_init(&pk); }
  ~State() { mbedtls_pk_free(&pk); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  mbedtls_ecp_keypair& ec() const { return *mbedtls_pk_ec(pk); }
  mbedtls_rsa_context& rsa() const { return *mbedtls_pk_rsa(pk); }
};

}  // namespace paf::jose

#endif
