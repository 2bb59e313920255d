// Prints the versions an installed paf was built with.
#include <cstdio>

#include "paf/version.h"

int main() {
  paf::Versions v = paf::versions();
  std::printf("paf %.*s mbedtls %.*s nghttp2 %.*s llhttp %.*s lwip %.*s\n",
              int(v.paf.size()), v.paf.data(), int(v.mbedtls.size()), v.mbedtls.data(),
              int(v.nghttp2.size()), v.nghttp2.data(), int(v.llhttp.size()), v.llhttp.data(),
              int(v.lwip.size()), v.lwip.data());
  return 0;
}
