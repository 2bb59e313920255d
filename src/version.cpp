#include "paf/version.h"

#include <llhttp.h>
#include <lwip/init.h>
#include <mbedtls/build_info.h>
#include <nghttp2/nghttp2ver.h>

namespace paf {

#define PAF_STRINGIFY_(x) #x
#define PAF_STRINGIFY(x) PAF_STRINGIFY_(x)

Versions versions() {
  return Versions{
      .paf = PAF_VERSION,
      .lwip = LWIP_VERSION_STRING,
      .mbedtls = MBEDTLS_VERSION_STRING,
      .nghttp2 = NGHTTP2_VERSION,
      .llhttp = PAF_STRINGIFY(LLHTTP_VERSION_MAJOR) "." PAF_STRINGIFY(
          LLHTTP_VERSION_MINOR) "." PAF_STRINGIFY(LLHTTP_VERSION_PATCH),
  };
}

}  // namespace paf
