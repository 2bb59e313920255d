// The certificate signing request ACME's finalize sends: PKCS#10 by mbedTLS.
#define MBEDTLS_ALLOW_PRIVATE_ACCESS  // EcKey's mbedTLS key (jose.cpp's State)
#include <mbedtls/pk.h>
#include <mbedtls/x509_csr.h>

#include <vector>

#include "../tls/random.h"
#include "jose_state.h"
#include "paf/acme.h"
#include "x509_names.h"

namespace paf::acme {

Result<Buffer> certificate_request(const jose::EcKey& key, std::span<const Buffer> names) {
  if (names.empty()) return fail(Errc::invalid_argument, "CSR: no name");
  std::vector<mbedtls_x509_san_list> sans = dns_names(names);
  Buffer subject = common_name_subject(names[0].view());
  mbedtls_x509write_csr csr;
  mbedtls_x509write_csr_init(&csr);
  mbedtls_x509write_csr_set_md_alg(&csr, MBEDTLS_MD_SHA256);
  mbedtls_x509write_csr_set_key(&csr, const_cast<mbedtls_pk_context*>(&key.state().pk));
  int status = mbedtls_x509write_csr_set_subject_name(
      &csr, reinterpret_cast<const char*>(subject.bytes().data()));
  if (status == 0) status = mbedtls_x509write_csr_set_subject_alternative_name(&csr, sans.data());
  Buffer der;
  if (status == 0) {
    der.resize(2048 + 300 * names.size());
    // mbedTLS writes the DER at the end of the buffer and returns its length.
    status = mbedtls_x509write_csr_der(&csr, der.data(), der.size(), tls::random_bytes,
                                       tls::random_context());
    if (status > 0) {
      Buffer out(Bytes(der.bytes().data() + der.size() - status, static_cast<std::size_t>(status)));
      mbedtls_x509write_csr_free(&csr);
      return out;
    }
  }
  mbedtls_x509write_csr_free(&csr);
  return fail(Errc::tls_error, "CSR: mbedTLS could not write it", status);
}

}  // namespace paf::acme
