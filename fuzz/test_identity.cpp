#include "test_identity.h"

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include <cstdint>
#include <cstring>

namespace paf::fuzz {
namespace {

// A fixed generator (xorshift64): the key is the same every run.
int fixed_random(void* state, unsigned char* output, std::size_t size) {
  auto& x = *static_cast<std::uint64_t*>(state);
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    output[i] = static_cast<unsigned char>(x);
  }
  return 0;
}

}  // namespace

TestIdentity make_test_identity() {
  TestIdentity identity;
  if (psa_crypto_init() != PSA_SUCCESS) return identity;
  std::uint64_t state = 0x2545F4914F6CDD1Dull;
  mbedtls_pk_context key;
  mbedtls_pk_init(&key);
  mbedtls_x509write_cert certificate;
  mbedtls_x509write_crt_init(&certificate);
  unsigned char buffer[4096];
  const unsigned char serial[] = {1};
  bool made = mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0 &&
              mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), fixed_random,
                                  &state) == 0 &&
              mbedtls_pk_write_key_pem(&key, buffer, sizeof buffer) == 0;
  if (made) identity.key_pem = reinterpret_cast<const char*>(buffer);
  mbedtls_x509write_crt_set_subject_key(&certificate, &key);
  mbedtls_x509write_crt_set_issuer_key(&certificate, &key);
  mbedtls_x509write_crt_set_md_alg(&certificate, MBEDTLS_MD_SHA256);
  made =
      made && mbedtls_x509write_crt_set_subject_name(&certificate, "CN=localhost") == 0 &&
      mbedtls_x509write_crt_set_issuer_name(&certificate, "CN=localhost") == 0 &&
      mbedtls_x509write_crt_set_serial_raw(&certificate, const_cast<unsigned char*>(serial),
                                           sizeof serial) == 0 &&
      mbedtls_x509write_crt_set_validity(&certificate, "20250101000000", "20450101000000") == 0 &&
      mbedtls_x509write_crt_pem(&certificate, buffer, sizeof buffer, fixed_random, &state) == 0;
  if (made) identity.certificate_pem = reinterpret_cast<const char*>(buffer);
  mbedtls_x509write_crt_free(&certificate);
  mbedtls_pk_free(&key);
  if (!made) identity = {};
  return identity;
}

}  // namespace paf::fuzz
