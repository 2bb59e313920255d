// What the CSR (csr.cpp) and the TLS-ALPN-01 certificate (tls_alpn01.cpp)
// both write with mbedTLS: a subject "CN=<first name>" and a list of DNS
// subjectAltNames.
#ifndef PAF_SRC_ACME_X509_NAMES_H
#define PAF_SRC_ACME_X509_NAMES_H

#include <mbedtls/x509.h>

#include <cstring>
#include <span>
#include <vector>

#include "paf/buffer.h"

namespace paf::acme {

// The NUL-terminated subject name mbedTLS takes: "CN=<name>".
inline Buffer common_name_subject(std::string_view name) {
  Buffer subject("CN=");
  subject.append(name);
  subject.append('\0');
  return subject;
}

// Every name a DNS subjectAltName, pointing into `names` (which must outlive
// the list). mbedTLS writes the list last to first: it is built backwards, so
// that the names come out in the order given.
inline std::vector<mbedtls_x509_san_list> dns_names(std::span<const Buffer> names) {
  std::vector<mbedtls_x509_san_list> sans(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const Buffer& name = names[names.size() - 1 - i];
    std::memset(&sans[i], 0, sizeof sans[i]);
    sans[i].node.type = MBEDTLS_X509_SAN_DNS_NAME;
    sans[i].node.san.unstructured_name.p = const_cast<unsigned char*>(name.bytes().data());
    sans[i].node.san.unstructured_name.len = name.size();
    sans[i].next = i + 1 < names.size() ? &sans[i + 1] : nullptr;
  }
  return sans;
}

}  // namespace paf::acme

#endif
