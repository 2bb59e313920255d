// TLS-ALPN-01 (RFC 8737): the validation certificates, made with mbedTLS's
// certificate writer, and the responder that hands them to src/tls's
// TlsHandshakeAnswers (which knows nothing of ACME).
#define MBEDTLS_ALLOW_PRIVATE_ACCESS  // EcKey's mbedTLS key (jose.cpp's State)
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include <cstring>
#include <vector>

#include "../tls/random.h"
#include "jose_state.h"
#include "paf/acme.h"
#include "x509_names.h"

namespace paf::acme {

namespace {

// id-pe-acmeIdentifier, 1.3.6.1.5.5.7.1.31, as DER (RFC 8737 §6.1).
constexpr unsigned char kAcmeIdentifierOid[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x1f};
// The CA looks at the extension only: dates wide enough for any clock.
constexpr const char* kNotBefore = "20000101000000";
constexpr const char* kNotAfter = "20991231235959";
constexpr std::size_t kSerialBytes = 16;

}  // namespace

Result<Buffer> tls_alpn01_certificate(const jose::EcKey& key, std::string_view name,
                                      std::string_view key_authorization) {
  if (name.empty()) return fail(Errc::invalid_argument, "TLS-ALPN-01: no name");
  // The extension's value: OCTET STRING (0x04), 32 bytes, the digest.
  unsigned char identifier[2 + 32] = {0x04, 32};
  mbedtls_sha256(reinterpret_cast<const unsigned char*>(key_authorization.data()),
                 key_authorization.size(), identifier + 2, 0);
  unsigned char serial[kSerialBytes];
  if (tls::random_bytes(tls::random_context(), serial, sizeof serial) != 0)
    return fail(Errc::tls_error, "TLS-ALPN-01: no random serial number");
  serial[0] &= 0x7f;  // a positive INTEGER
  const Buffer names[] = {Buffer(name)};
  std::vector<mbedtls_x509_san_list> sans = dns_names(names);
  Buffer subject = common_name_subject(name);
  auto* pk = const_cast<mbedtls_pk_context*>(&key.state().pk);
  const char* subject_text = reinterpret_cast<const char*>(subject.bytes().data());

  mbedtls_x509write_cert certificate;
  mbedtls_x509write_crt_init(&certificate);
  mbedtls_x509write_crt_set_version(&certificate, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&certificate, MBEDTLS_MD_SHA256);
  mbedtls_x509write_crt_set_subject_key(&certificate, pk);
  mbedtls_x509write_crt_set_issuer_key(&certificate, pk);
  int status = mbedtls_x509write_crt_set_serial_raw(&certificate, serial, sizeof serial);
  if (status == 0) status = mbedtls_x509write_crt_set_subject_name(&certificate, subject_text);
  if (status == 0) status = mbedtls_x509write_crt_set_issuer_name(&certificate, subject_text);
  if (status == 0) status = mbedtls_x509write_crt_set_validity(&certificate, kNotBefore, kNotAfter);
  if (status == 0)
    status = mbedtls_x509write_crt_set_subject_alternative_name(&certificate, sans.data());
  if (status == 0)
    status = mbedtls_x509write_crt_set_extension(
        &certificate, reinterpret_cast<const char*>(kAcmeIdentifierOid), sizeof kAcmeIdentifierOid,
        1, identifier, sizeof identifier);
  Buffer pem;
  if (status == 0) {
    pem.resize(4096);
    status = mbedtls_x509write_crt_pem(&certificate, pem.data(), pem.size(), tls::random_bytes,
                                       tls::random_context());
  }
  mbedtls_x509write_crt_free(&certificate);
  if (status != 0)
    return fail(Errc::tls_error, "TLS-ALPN-01: mbedTLS could not write the certificate", status);
  pem.resize(std::strlen(reinterpret_cast<const char*>(pem.data())));
  return pem;
}

TlsAlpn01Responder::TlsAlpn01Responder() : answers_(kProtocol) {}

Result<void> TlsAlpn01Responder::add(std::string_view name, std::string_view key_authorization) {
  auto key = jose::EcKey::generate();
  if (!key) return std::unexpected(key.error());
  auto certificate = tls_alpn01_certificate(*key, name, key_authorization);
  if (!certificate) return std::unexpected(certificate.error());
  auto key_pem = key->to_pem();
  if (!key_pem) return std::unexpected(key_pem.error());
  return answers_.add(name, certificate->view(), key_pem->view());
}

void TlsAlpn01Responder::remove(std::string_view name) { answers_.remove(name); }

std::size_t TlsAlpn01Responder::size() const { return answers_.size(); }

}  // namespace paf::acme
