// The minimal test image: real calls into each dependency, libpaf, paf's libc
// and the C++ runtime, so that the link pulls them all in and check-image.sh
// can prove the result is self-contained (no undefined symbol, no syscall).
#include <cJSON.h>
#include <llhttp.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <nghttp2/nghttp2.h>
#include <psa/crypto.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "paf/loop.h"
#include "paf/mimic.h"
#include "paf/net.h"
#include "paf/simulated_ethernet.h"
#include "paf/platform.h"
#include "paf/uri.h"
#include "paf/version.h"

namespace {

int parse_http1_request() {
  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  llhttp_t parser;
  llhttp_init(&parser, HTTP_REQUEST, &settings);
  static const char request[] = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
  return llhttp_execute(&parser, request, sizeof request - 1) == HPE_OK ? 0 : 1;
}

int open_http2_session() {
  nghttp2_session_callbacks* callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&callbacks) != 0) return 1;
  nghttp2_session* session = nullptr;
  int rv = nghttp2_session_server_new(&session, callbacks, nullptr);
  nghttp2_session_del(session);
  nghttp2_session_callbacks_del(callbacks);
  return rv == 0 ? 0 : 1;
}

int use_mbedtls() {
  unsigned char digest[32];
  if (mbedtls_sha256(reinterpret_cast<const unsigned char*>("abc"), 3, digest, 0) != 0) return 1;
  if (digest[0] != 0xba || digest[31] != 0xad) return 1;  // SHA-256("abc") = ba78...15ad
  // The call is here to link PSA in (it needs the platform's entropy); its
  // result is only printed.
  std::printf("psa_crypto_init: %d\n", static_cast<int>(psa_crypto_init()));
  mbedtls_ssl_config config;
  mbedtls_ssl_config_init(&config);
  int rv = mbedtls_ssl_config_defaults(&config, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                       MBEDTLS_SSL_PRESET_DEFAULT);
  mbedtls_ssl_config_free(&config);
  return rv == 0 ? 0 : 1;
}

struct Shape {
  virtual ~Shape() = default;
  virtual int area() const = 0;
};
struct Square final : Shape {
  explicit Square(int side) : side_(side) {}
  int area() const override { return side_ * side_; }
  int side_;
};

// A static object with a destructor: __cxa_atexit and the constructor table.
struct Greeter {
  Greeter() { std::puts("constructors ran"); }
  ~Greeter() { std::puts("destructors ran"); }
} greeter;

int use_cxx() {
  std::vector<std::unique_ptr<Shape>> shapes;
  for (int side = 1; side <= 4; side++) shapes.push_back(std::make_unique<Square>(side));
  int total = 0;
  std::move_only_function<void(int)> add = [&total](int n) { total += n; };
  for (const auto& shape : shapes) add(shape->area());
  return total == 1 + 4 + 9 + 16 ? 0 : 1;
}

int use_libc() {
  char* buffer = static_cast<char*>(std::malloc(64));
  if (!buffer) return 1;
  int n = std::snprintf(buffer, 64, "%s %d %#x %-4s|", "paf", -42, 255, "ok");
  int rv = n == 18 && std::strcmp(buffer, "paf -42 0xff ok  |") == 0 ? 0 : 1;
  std::free(buffer);
  return rv;
}

// paf's lwIP glue (src/net, which also supplies lwIP's clock and random
// numbers): a Stack with a static address on a simulated Ethernet.
int use_net() {
  paf::SimulatedTimeBackend backend;
  paf::Loop loop(backend);
  paf::SimulatedEthernet ethernet(loop);
  auto stack = paf::Stack::from_cmdline(loop, ethernet.plug({0x02, 0, 0, 0, 0, 1}),
                                        "ip=10.0.0.1/24 ipv6=off");
  return stack && stack->ready() && stack->ipv4_address().view() == "10.0.0.1" ? 0 : 1;
}

// URIs on uriparser, and Mimic over the lwIP stack: a TCP connection to a
// second stack on a simulated Ethernet, found from a URI (name resolution, TCP, TLS linked in).
int use_uri_and_mimic() {
  auto uri = paf::Uri::parse("http://10.0.0.2:8080/a/b?c");
  if (!uri) return 1;
  auto next = uri->resolve("../d");
  if (!next || next->request_target().view() != "/d") return 1;
  paf::SimulatedTimeBackend backend;
  paf::Loop loop(backend);
  paf::SimulatedEthernet ethernet(loop);
  auto client =
      paf::Stack::from_cmdline(loop, ethernet.plug({0x02, 0, 0, 0, 0, 1}), "ip=10.0.0.1/24 ipv6=off");
  auto server =
      paf::Stack::from_cmdline(loop, ethernet.plug({0x02, 0, 0, 0, 0, 2}), "ip=10.0.0.2/24 ipv6=off");
  if (!client || !server) return 1;
  auto listener = server->listen(8080);
  auto ctx = paf::mimic::with_uri(paf::mimic::with_stack_protocols({}, *client), *next);
  if (!listener || !ctx) return 1;
  bool connected = false;
  paf::mimic::Resolving resolving = paf::mimic::resolve(*ctx, loop, [&](paf::mimic::Resolution r) {
    connected = r.has_value() && r->protocol == "tcp";
  });
  (void)loop.run_until(loop.now_ns() + paf::seconds(5));
  return connected ? 0 : 1;
}

// Floating point in paf's libc, run on the image's CPU: printf's %g/%f/%e,
// strtod (with errno), sscanf, and cJSON's numbers, which use all three.
int use_floating_point() {
  char text[96];
  std::snprintf(text, sizeof text, "%1.17g|%.3f|%e", 0.1, 2.0005, 6.02214076e23);
  int failures = std::strcmp(text, "0.10000000000000001|2.001|6.022141e+23") != 0;
  errno = 0;
  failures += std::strtod("1e400", nullptr) != __builtin_huge_val() || errno != ERANGE;
  double read = 0;
  failures += std::sscanf("0.30000000000000004", "%lg", &read) != 1 || read != 0.1 + 0.2;
  cJSON* json = cJSON_Parse("[1.5e-3, -0, 1e400, 0.3333333333333333, 1e300, 42, -7.25]");
  char* printed = json != nullptr ? cJSON_PrintUnformatted(json) : nullptr;
  // What glibc's cJSON prints for the same document.
  failures += printed == nullptr ||
              std::strcmp(printed, "[0.0015,0,null,0.33333333333333331,1e+300,42,-7.25]") != 0;
  std::printf("minimal image: floating point: %s; cJSON printed %s\n", text,
              printed != nullptr ? printed : "nothing");
  cJSON_free(printed);
  cJSON_Delete(json);
  return failures;
}

}  // namespace

int all_headers_used(int x);

extern "C" int paf_app_main(const paf_start_info*) {
  paf::Versions v = paf::versions();
  std::printf("paf %.*s: lwIP %.*s, mbedTLS %.*s, nghttp2 %.*s, llhttp %.*s\n",
              static_cast<int>(v.paf.size()), v.paf.data(), static_cast<int>(v.lwip.size()),
              v.lwip.data(), static_cast<int>(v.mbedtls.size()), v.mbedtls.data(),
              static_cast<int>(v.nghttp2.size()), v.nghttp2.data(),
              static_cast<int>(v.llhttp.size()), v.llhttp.data());
  int failures = parse_http1_request() + open_http2_session() + use_mbedtls() + use_cxx() +
                 use_libc() + use_floating_point() + use_net() + use_uri_and_mimic() +
                 (all_headers_used(3) > 0 ? 0 : 1);
  std::printf("minimal image: %d failure(s)\n", failures);
  return failures;
}
