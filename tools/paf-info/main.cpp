// paf-info: what this build of paf is made of.
#include <cstdio>
#include <string_view>

#include "paf/version.h"

namespace {
void line(const char* name, std::string_view version) {
  std::printf("  %-8s %.*s\n", name, int(version.size()), version.data());
}
}  // namespace

int main() {
  paf::Versions v = paf::versions();
  std::printf("paf %.*s, built with:\n", int(v.paf.size()), v.paf.data());
  line("lwIP", v.lwip);
  line("mbedTLS", v.mbedtls);
  line("nghttp2", v.nghttp2);
  line("llhttp", v.llhttp);
  return 0;
}
