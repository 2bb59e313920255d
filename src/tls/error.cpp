#include "error.h"

#include <mbedtls/build_info.h>
#include <mbedtls/error.h>

namespace paf::tls {

Error mbedtls_error(int code, std::string_view fallback, Errc errc) {
  const char* text = nullptr;
#if defined(MBEDTLS_ERROR_C)
  // The high-level module (SSL, X509, PK) says what failed; the low-level one
  // (ASN.1, bignum, cipher) why. Prefer the first, which a reader can act on.
  text = mbedtls_high_level_strerr(code);
  if (text == nullptr) text = mbedtls_low_level_strerr(code);
#endif
  return Error{errc, text != nullptr ? std::string_view(text) : fallback, code};
}

}  // namespace paf::tls
