// The certificate signing request ACME's finalize sends: PKCS#10 by mbedTLS.
#define MBEDTLS_ALLOW_PRIVATE_ACCESS  // EcKey's mbedTLS key (jose.cpp's State)
#include <mbedtls/pk.h>
#include <mbedtls/x509_csr.h>

#include <cstring>
#include <vector>

#include "../tls/random.h"
#include "jose_state.h"
#include "paf/acme.h"

namespace paf::acme {

Result<Buffer> certificate_request(const jose::EcKey& key, std::span<const Buffer> names) {
  if (names.empty()) return fail(Errc::invalid_argument, "CSR: no name");
  // mbedTLS writes the list last to first: it is built backwards, so that the
  // CSR names them in the order given.
  std::vector<mbedtls_x509_san_list> sans(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const Buffer& name = names[names.size() - 1 - i];
    std::memset(&sans[i], 0, sizeof sans[i]);
    sans[i].node.type = MBEDTLS_X509_SAN_DNS_NAME;
    sans[i].node.san.unstructured_name.p = const_cast<unsigned char*>(name.bytes().data());
    sans[i].node.san.unstructured_name.len = name.size();
    sans[i].next = i + 1 < names.size() ? &sans[i + 1] : nullptr;
  }
  Buffer subject("CN=");
  subject.append(names[0].view());
  subject.append('\0');
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
