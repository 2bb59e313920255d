// mbedTLS's error codes as paf::Errors: mbedTLS's own text when it has one
// (its strings are static, as a paf::Error message must be), the code in detail.
#ifndef PAF_SRC_TLS_ERROR_H
#define PAF_SRC_TLS_ERROR_H

#include "paf/result.h"

namespace paf::tls {

// `code` is a negative mbedTLS error code; `fallback` names the step that
// failed when mbedTLS has no text for the code.
Error mbedtls_error(int code, std::string_view fallback, Errc errc = Errc::tls_error);

}  // namespace paf::tls

#endif
