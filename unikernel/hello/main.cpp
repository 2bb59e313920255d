// hello.elf: the demo application (docs/ARCHITECTURE.md, "The demo contract")
// as a unikernel. It brings lwIP up on the first NIC from the command line
// (DHCP unless "ip=" says otherwise), serves HTTP (demo_handler;
// http_service: HTTP/1.x and h2c) on port 80 and HTTPS (https_service: HTTP/2
// and HTTP/1.1 chosen by ALPN) on port 443, logs one line per request on the
// serial console, and runs until the platform stops it.
//
// HTTPS presents the certificate chain and key of the configuration items
// opt/paf/cert.pem and opt/paf/key.pem (paf_config_read: QEMU's -fw_cfg);
// without them, the self-signed test pair built into the image
// (test_certificate.h), and the console says so. A pair that does not parse
// (or a key that does not match) ends the image with status 1.
//
// Command line: StackConfig's words (ip=, gw=, dns=, ipv6=) and
//   requests=N      stop gracefully after N requests and exit 0 (for tests:
//                   there is no ACPI power button yet to ask for a shutdown)
//   access-log=off  no line per request (benchmarks: a serial write is slow)
//   header-timeout=S, body-timeout=S  HTTP/1.x's bounds on a request's head
//                   and between pieces of its body (H1Config; 10 s and 30 s)
//   heap-report=S   a console line on the heap's use (in use, high-water mark)
//                   every S seconds, and one at the end (tests, soaks)
#include <charconv>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "demo_handler.h"
#include "image_app.h"
#include "paf/cmdline.h"
#include "paf/config_item.h"
#include "paf/h1.h"
#include "paf/loop.h"
#include "paf/net.h"
#include "paf/platform.h"
#include "paf/platform_loop_backend.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "paf/tls.h"
#include "test_certificate.h"

namespace {

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kHttpsPort = 443;
// Connections lwIP completed that wait for the loop to accept them (more are
// refused): room for a burst of clients connecting at once, as the seed's
// paf-stress -c 50 does, which the default of 16 refused in part.
constexpr std::size_t kBacklog = 128;
constexpr const char* kCertificateItem = "opt/paf/cert.pem";
constexpr const char* kKeyItem = "opt/paf/key.pem";
constexpr std::uint64_t kAddressTimeoutNs = paf::seconds(30);
// After the last connection is gone, how long lwIP may take to deliver what
// was written (the peers' ACKs); exiting earlier would cut the last responses.
constexpr std::uint64_t kDrainNs = paf::seconds(2);

// `key=N` as a number; none when absent or not a number.
std::optional<std::uint64_t> cmdline_number(std::string_view cmdline, std::string_view key) {
  auto digits = paf::cmdline_value(cmdline, key);
  if (!digits) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(digits->data(), digits->data() + digits->size(), value);
  if (error != std::errc{} || end != digits->data() + digits->size()) return std::nullopt;
  return value;
}

int fail(const char* what, const paf::Error& error) {
  std::printf("hello: %s: %.*s\n", what, int(error.message.size()), error.message.data());
  return 1;
}

// The whole configuration item `name`; none when the platform has no such
// item (or could not read it, which is said on the console).
std::optional<std::string> read_config_item(const char* name) {
  auto item = paf::read_config_item(name);
  if (!item) std::printf("hello: cannot read configuration item %s\n", name);
  return item ? std::move(*item) : std::nullopt;
}

struct ServerCertificate {
  std::string chain_pem, key_pem;
  const char* source;  // for the console
};

// fw_cfg's pair when it has both items, else the built-in test pair.
ServerCertificate server_certificate() {
  auto chain = read_config_item(kCertificateItem);
  auto key = read_config_item(kKeyItem);
  if (chain && key) return {std::move(*chain), std::move(*key), "fw_cfg opt/paf/cert.pem"};
  if (chain || key)
    std::printf("hello: configuration has %s but no %s: ignoring it\n",
                chain ? kCertificateItem : kKeyItem, chain ? kKeyItem : kCertificateItem);
  std::printf(
      "hello: no certificate in the configuration (%s, %s; QEMU: -fw_cfg "
      "name=%s,file=...): HTTPS uses the self-signed test certificate built into "
      "the image, for localhost only\n",
      kCertificateItem, kKeyItem, kCertificateItem);
  return {paf::demo::kTestCertificatePem, paf::demo::kTestKeyPem, "the built-in test pair"};
}

std::uint64_t milliseconds_since_boot() { return paf_clock_monotonic() / 1'000'000; }

}  // namespace

extern "C" int paf_app_main(const paf_start_info* info) {
  paf::PlatformLoopBackend backend;
  paf::Loop loop(backend);
  auto network =
      paf::image::bring_up_network(backend, loop, info->cmdline, "hello", kAddressTimeoutNs);
  if (!network) return 1;
  paf::Stack& stack = *network->stack;
  auto listener = stack.listen(kHttpPort, kBacklog);
  if (!listener) return fail("cannot listen", listener.error());
  ServerCertificate certificate = server_certificate();
  auto tls = paf::TlsConfig::server(certificate.chain_pem, certificate.key_pem)
                 .alpn({"h2", "http/1.1"})
                 .build();
  if (!tls) return fail("TLS configuration", tls.error());
  auto tls_listener = stack.listen(kHttpsPort, kBacklog);
  if (!tls_listener) return fail("cannot listen", tls_listener.error());

  std::optional<std::uint64_t> request_limit = cmdline_number(info->cmdline, "requests");
  paf::H1Config h1;
  if (auto seconds = cmdline_number(info->cmdline, "header-timeout"); seconds && *seconds)
    h1.header_timeout_ns = paf::seconds(*seconds);
  if (auto seconds = cmdline_number(info->cmdline, "body-timeout"); seconds && *seconds)
    h1.body_timeout_ns = paf::seconds(*seconds);
  std::optional<std::uint64_t> heap_report = cmdline_number(info->cmdline, "heap-report");
  paf::demo::Options demo_options;
  demo_options.access_log = paf::cmdline_value(info->cmdline, "access-log") != "off";
  std::uint64_t requests = 0;
  paf::Switch stop;
  auto handler = [&](paf::Reqd& reqd) {
    paf::demo::handle(reqd, demo_options);
    // Turned off from the loop, not from inside the connection calling us.
    if (++requests == request_limit) loop.post([&stop] { stop.turn_off(); });
  };
  // Each listener's serve() stops on its own; the loop, once both have.
  int serving = 0;
  paf::serve(loop, paf::http_service(handler, paf::default_error_reply, h1), **listener, stop,
             paf::image::serve_options(loop, serving, "hello"));
  paf::serve(loop,
             paf::https_service(std::move(*tls), std::move(handler), paf::default_error_reply, h1),
             **tls_listener, stop, paf::image::serve_options(loop, serving, "hello"));
  std::printf("hello: listening on http://%s:%u/ (address %s, %" PRIu64 " ms since boot)\n",
              stack.ipv4_address().c_str(), kHttpPort, network->dhcp ? "by DHCP" : "static",
              milliseconds_since_boot());
  std::printf("hello: listening on https://%s:%u/ (h2, http/1.1; certificate from %s, %" PRIu64
              " ms since boot)\n",
              stack.ipv4_address().c_str(), kHttpsPort, certificate.source,
              milliseconds_since_boot());
  if (request_limit)
    std::printf("hello: requests=%" PRIu64 ": exits once they are served\n", *request_limit);
  if (heap_report && *heap_report) {
    paf::image::report_heap("hello");
    paf::image::report_heap_every(loop, "hello", paf::seconds(*heap_report));
  }

  auto ran = loop.run();
  if (!ran) return fail("loop", ran.error());
  paf::image::drain(loop, stack, kDrainNs);
  std::printf("hello: stopped after %" PRIu64 " requests%s\n", requests,
              stack.all_sent() ? "" : " (some bytes were not delivered)");
  if (heap_report && *heap_report) paf::image::report_heap("hello");
  return 0;
}
