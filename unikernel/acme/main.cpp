// acme.elf: the demo application (demo_handler) as a unikernel that gets its
// own certificate. It brings lwIP up (DHCP unless "ip=" says otherwise),
// serves HTTP on port 80 — the ACME HTTP-01 challenges in front of the demo
// (paf::acme::Http01Responder) — provisions a certificate for its names from
// the ACME directory of its command line (paf::acme::provision_certificate
// over paf::Client on Mimic's lwIP protocols), then serves HTTPS on port 443
// (HTTP/2 and HTTP/1.1 chosen by ALPN) with it. The console says each step.
//
// Command line: StackConfig's words (ip=, gw=, dns=, ipv6=) and
//   acme=URL        the directory (https, or http for a test CA); required
//   domain=NAME     a name of the certificate (one or more; the first is its CN)
//   email=ADDRESS   the account's contact, optional
//   requests=N      stop gracefully after N demo requests and exit 0 (tests)
//   access-log=off  no line per request
// The directory's CA comes from the configuration item opt/paf/acme-ca.pem
// (paf_config_read: QEMU's -fw_cfg); an https directory without it, a
// missing acme= or domain=, end the image with status 2; a failed
// provisioning with status 1.
#include <charconv>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "demo_handler.h"
#include "image_app.h"
#include "paf/acme.h"
#include "paf/client.h"
#include "paf/cmdline.h"
#include "paf/config_item.h"
#include "paf/loop.h"
#include "paf/mimic.h"
#include "paf/net.h"
#include "paf/platform.h"
#include "paf/platform_loop_backend.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "paf/tls.h"

namespace {

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kHttpsPort = 443;
constexpr const char* kAcmeCaItem = "opt/paf/acme-ca.pem";
constexpr std::uint64_t kAddressTimeoutNs = paf::seconds(30);
// After the last connection is gone, how long lwIP may take to deliver what
// was written (the peers' ACKs); exiting earlier would cut the last responses.
constexpr std::uint64_t kDrainNs = paf::seconds(2);

struct Options {
  std::string_view directory;
  std::vector<std::string_view> names;
  std::string_view email;
  std::optional<std::uint64_t> request_limit;
  bool access_log = true;
};

// Reads the command line; none (and a line saying why) when it is wrong.
std::optional<Options> parse_options(std::string_view cmdline) {
  Options options;
  options.directory = paf::cmdline_value(cmdline, "acme").value_or("");
  options.email = paf::cmdline_value(cmdline, "email").value_or("");
  options.access_log = paf::cmdline_value(cmdline, "access-log") != "off";
  for (std::string_view rest = cmdline, word = paf::next_cmdline_word(rest); !word.empty();
       word = paf::next_cmdline_word(rest))
    if (word.starts_with("domain=") && word.size() > 7) options.names.push_back(word.substr(7));
  if (auto digits = paf::cmdline_value(cmdline, "requests")) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(digits->data(), digits->data() + digits->size(), value);
    if (error != std::errc{} || end != digits->data() + digits->size()) {
      std::printf("acme: requests=%.*s: want a number\n", int(digits->size()), digits->data());
      return std::nullopt;
    }
    options.request_limit = value;
  }
  if (options.directory.empty() || options.names.empty()) {
    std::printf("acme: usage: acme=DIRECTORY-URL domain=NAME [domain=NAME...] [email=ADDRESS]\n");
    return std::nullopt;
  }
  return options;
}

int fail(const char* what, const paf::Error& error) {
  std::printf("acme: %s: %.*s\n", what, int(error.message.size()), error.message.data());
  return 1;
}

std::uint64_t milliseconds_since_boot() { return paf_clock_monotonic() / 1'000'000; }

// The client configuration for the directory: trusting opt/paf/acme-ca.pem
// when the configuration has it. None (said on the console) when an https
// directory has no CA to be verified with, or the CA does not parse.
std::optional<std::optional<paf::TlsConfig>> directory_tls(std::string_view directory) {
  auto ca = paf::read_config_item(kAcmeCaItem);
  if (!ca) {
    std::printf("acme: cannot read configuration item %s\n", kAcmeCaItem);
    return std::nullopt;
  }
  if (!*ca) {
    if (!directory.starts_with("https:")) return std::optional<paf::TlsConfig>{};
    std::printf("acme: no CA for the directory in the configuration (%s; QEMU: -fw_cfg "
                "name=%s,file=...)\n",
                kAcmeCaItem, kAcmeCaItem);
    return std::nullopt;
  }
  auto built = paf::TlsConfig::client().trust_ca(**ca).alpn({"h2", "http/1.1"}).build();
  if (!built) {
    fail("the directory's CA", built.error());
    return std::nullopt;
  }
  std::printf("acme: trusting %s (%zu bytes) for the directory\n", kAcmeCaItem, (*ca)->size());
  return std::optional<paf::TlsConfig>(std::move(*built));
}

}  // namespace

extern "C" int paf_app_main(const paf_start_info* info) {
  auto options = parse_options(info->cmdline);
  if (!options) return 2;
  paf::PlatformLoopBackend backend;
  paf::Loop loop(backend);
  auto network =
      paf::image::bring_up_network(backend, loop, info->cmdline, "acme", kAddressTimeoutNs);
  if (!network) return 1;
  paf::Stack& stack = *network->stack;
  std::printf("acme: address %s (%s, %" PRIu64 " ms since boot)\n", stack.ipv4_address().c_str(),
              network->dhcp ? "by DHCP" : "static", milliseconds_since_boot());
  auto tls = directory_tls(options->directory);
  if (!tls) return 2;
  auto listener = stack.listen(kHttpPort);
  if (!listener) return fail("cannot listen", listener.error());
  auto tls_listener = stack.listen(kHttpsPort);
  if (!tls_listener) return fail("cannot listen", tls_listener.error());

  paf::demo::Options demo_options;
  demo_options.access_log = options->access_log;
  std::uint64_t requests = 0;
  paf::Switch stop;
  auto handler = [&](paf::Reqd& reqd) {
    paf::demo::handle(reqd, demo_options);
    // Turned off from the loop, not from inside the connection calling us.
    if (++requests == options->request_limit) loop.post([&stop] { stop.turn_off(); });
  };
  int serving = 0;  // services running; the loop stops once none is
  // Port 80: the challenges first, every other request to the demo.
  paf::acme::Http01Responder responder;
  paf::serve(loop, paf::http_service(responder.handler(handler), paf::default_error_reply),
             **listener, stop, paf::image::serve_options(loop, serving, "acme"));
  std::printf("acme: serving HTTP-01 challenges on http://%s:%u/\n", stack.ipv4_address().c_str(),
              kHttpPort);

  paf::mimic::Ctx ctx = paf::mimic::with_stack_protocols({}, stack);
  if (*tls) ctx = ctx.with(paf::mimic::keys::tls, **tls);
  paf::Client client(loop, paf::mimic_connector(ctx, loop));

  paf::acme::Config acme_config;
  acme_config.directory = paf::Buffer(options->directory);
  acme_config.contact_email = paf::Buffer(options->email);
  for (std::string_view name : options->names) acme_config.names.emplace_back(name);
  acme_config.http01 = responder;
  acme_config.log = [](std::string_view line) {
    std::printf("acme: %.*s\n", int(line.size()), line.data());
  };
  std::string names;
  for (std::string_view name : options->names) names.append(names.empty() ? "" : ", ").append(name);
  std::printf("acme: provisioning a certificate for %s from %.*s\n", names.c_str(),
              int(options->directory.size()), options->directory.data());
  const std::uint64_t provisioning_start = paf_clock_monotonic();
  int status = 0;
  auto provisioning = paf::acme::provision_certificate(
      std::move(acme_config), client, loop, [&](paf::acme::Outcome outcome) {
        const std::uint64_t took_ms = (paf_clock_monotonic() - provisioning_start) / 1'000'000;
        if (!outcome) {
          paf::Buffer why = outcome.error().describe();
          std::printf("acme: no certificate after %" PRIu64 " ms: %.*s\n", took_ms,
                      int(why.view().size()), why.view().data());
          status = 1;
          stop.turn_off();
          return;
        }
        std::printf("acme: certificate for %s in %" PRIu64 " ms (%zu bytes of chain, %zu "
                    "badNonce retries)\n",
                    names.c_str(), took_ms, outcome->chain_pem.view().size(),
                    outcome->bad_nonce_retries);
        auto server_tls =
            paf::TlsConfig::server(outcome->chain_pem.view(), outcome->key_pem.view())
                .alpn({"h2", "http/1.1"})
                .build();
        if (!server_tls) {
          status = fail("the issued certificate", server_tls.error());
          stop.turn_off();
          return;
        }
        paf::serve(loop,
                   paf::https_service(std::move(*server_tls), handler, paf::default_error_reply),
                   **tls_listener, stop, paf::image::serve_options(loop, serving, "acme"));
        std::printf("acme: listening on https://%s:%u/ (h2, http/1.1; the issued certificate, %" PRIu64
                    " ms since boot)\n",
                    stack.ipv4_address().c_str(), kHttpsPort, milliseconds_since_boot());
        if (options->request_limit)
          std::printf("acme: requests=%" PRIu64 ": exits once they are served\n",
                      *options->request_limit);
      });

  auto ran = loop.run();
  if (!ran) return fail("loop", ran.error());
  provisioning.cancel();
  paf::image::drain(loop, stack, kDrainNs);
  std::printf("acme: stopped after %" PRIu64 " requests%s\n", requests,
              stack.all_sent() ? "" : " (some bytes were not delivered)");
  return status;
}
