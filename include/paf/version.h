// paf's version and the versions of the libraries it was built with.
#ifndef PAF_VERSION_H
#define PAF_VERSION_H

#include <string_view>

namespace paf {

struct Versions {
  std::string_view paf, lwip, mbedtls, nghttp2, llhttp;
};

// The versions compiled into this build (from the dependencies' own headers).
Versions versions();

}  // namespace paf

#endif
