// paf-server: the demo application (docs/ARCHITECTURE.md, "The demo contract")
// on host TCP listeners: HTTP/1.x and h2c (HTTP/2 with prior knowledge) on
// the plain port, and, with --https, HTTP/2 and HTTP/1.1 over TLS chosen by
// ALPN. SIGINT or SIGTERM shut it down gracefully; it then exits 0.
//
//   paf-server [--host ADDR] [--http PORT] [--https PORT --cert FILE --key FILE
//              [--cert FILE --key FILE]...] [--header-timeout SECONDS]
//              [--body-timeout SECONDS] [--access-log on|off]
//              [--net tap:IFACE [--net-config WORDS]]
//              [--https PORT --acme-directory URL --domain NAME [--domain NAME]...
//               [--acme-email E] [--acme-ca FILE] [--acme-challenge http-01|tls-alpn-01]
//               [--acme-eab-kid ID --acme-eab-hmac-key KEY] [--acme-state DIR]
//               [--acme-renew-before SECONDS] [--acme-min-renewal-interval SECONDS]]
//   (defaults: 127.0.0.1, 8080, no TLS, 10 s, 30 s, on: one line per request on stderr)
//
// With --acme-directory (instead of --cert and --key) it gets a certificate
// for every --domain from that ACME directory (RFC 8555) at start, answering
// the HTTP-01 challenges on the plain port (which the CA must reach as port
// 80 of each name), then serves HTTPS with it. With --acme-challenge
// tls-alpn-01 the challenges are answered on the HTTPS port instead (RFC
// 8737: the CA must reach it as port 443 of each name), which serves only
// them until the certificate comes. A CA that requires External Account
// Binding hands out a key id and an HMAC key (base64url): --acme-eab-kid and
// --acme-eab-hmac-key. --acme-ca is the PEM bundle
// trusted for the directory's HTTPS (default: the system's,
// /etc/ssl/certs/ca-certificates.crt). Host sockets only (not with --net).
// A paf::acme::Manager keeps the certificate: it renews it while serving
// (once less than a third of its lifetime is left, or --acme-renew-before
// SECONDS; never twice within --acme-min-renewal-interval SECONDS, default
// 60) and swaps it in without dropping a connection. --acme-state DIR keeps
// the account key and the certificate with its key in DIR (keys mode 0600):
// a restart uses them instead of ordering again.
//
// With --net tap:IFACE it serves over paf's own TCP/IP stack (lwIP) on the
// TAP interface IFACE instead of the host's sockets (--host does not apply):
// DHCP, an IPv6 link-local and a SLAAC address, unless --net-config gives
// the unikernel's command-line words ("ip=10.0.0.2/24 gw=10.0.0.1 ipv6=off").
// (tools/common/lwip_network.h: paf-client and paf-stress fetch so too.)
//
// Each --cert (a PEM chain, leaf first) goes with the --key after it; with
// several, the client's SNI picks the certificate that names it, and the
// first serves clients that name none.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "acme_file_store.h"
#include "demo_handler.h"
#include "lwip_network.h"
#include "paf/acme.h"
#include "paf/acme_manager.h"
#include "paf/client.h"
#include "paf/loop.h"
#include "paf/net.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/mimic.h"
#include "paf/posix/socket_listener.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "paf/tls.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: paf-server [--host ADDR] [--http PORT] [--https PORT --cert FILE --key FILE"
               " [--cert FILE --key FILE]...] [--header-timeout SECONDS] [--body-timeout SECONDS]"
               " [--access-log on|off]"
               " [--net tap:IFACE [--net-config WORDS]]"
               " [--https PORT --acme-directory URL --domain NAME... [--acme-email E]"
               " [--acme-ca FILE] [--acme-challenge http-01|tls-alpn-01]"
               " [--acme-eab-kid ID --acme-eab-hmac-key KEY] [--acme-state DIR]"
               " [--acme-renew-before SECONDS] [--acme-min-renewal-interval SECONDS]]\n");
  return 2;
}

template <typename Number>
bool parse_number(std::string_view text, Number& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size();
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void print_error(const char* what, const paf::Error& error) {
  std::fprintf(stderr, "paf-server: %s: %.*s\n", what, int(error.message.size()),
               error.message.data());
}

// The TLS server config of the --cert/--key pairs: h2 preferred, then http/1.1.
std::optional<paf::TlsConfig> tls_config(const std::vector<std::string>& certs,
                                         const std::vector<std::string>& keys) {
  std::vector<std::string> chains, private_keys;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    auto chain = read_file(certs[i]);
    auto key = read_file(keys[i]);
    if (!chain || !key) {
      std::fprintf(stderr, "paf-server: cannot read %s\n", (chain ? keys[i] : certs[i]).c_str());
      return std::nullopt;
    }
    chains.push_back(std::move(*chain));
    private_keys.push_back(std::move(*key));
  }
  auto builder = paf::TlsConfig::server(chains[0], private_keys[0]);
  for (std::size_t i = 1; i < chains.size(); ++i) builder.certificate(chains[i], private_keys[i]);
  auto built = builder.alpn({"h2", "http/1.1"}).build();
  if (!built) {
    print_error("TLS configuration", built.error());
    return std::nullopt;
  }
  return *built;
}

std::unique_ptr<paf::posix::TcpListener> listen(paf::posix::EpollLoopBackend& backend,
                                                const std::string& host, std::uint16_t port) {
  auto listener = paf::posix::TcpListener::listen(backend, host, port);
  if (!listener) {
    std::fprintf(stderr, "paf-server: cannot listen on %s:%u: %.*s (%s)\n", host.c_str(), port,
                 int(listener.error().message.size()), listener.error().message.data(),
                 std::strerror(listener.error().detail));
    return nullptr;
  }
  return std::move(*listener);
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::optional<std::uint16_t> https_port;
  std::vector<std::string> certs, keys;
  paf::H1Config h1;
  paf::demo::Options demo_options;
  paf::tools::NetOptions net;
  std::optional<std::string> acme_directory, acme_email, acme_eab_kid, acme_eab_hmac_key;
  std::string acme_ca = "/etc/ssl/certs/ca-certificates.crt";
  std::optional<std::string> acme_state;
  std::uint64_t acme_renew_before = 0, acme_min_renewal_interval = 60;
  paf::acme::Challenge acme_challenge = paf::acme::Challenge::http_01;
  bool acme_challenge_set = false;
  std::vector<std::string> domains;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage();
    std::string_view value = argv[++i];
    if (arg == "--access-log") {
      if (value != "on" && value != "off") return usage();
      demo_options.access_log = value == "on";
    } else if (arg == "--net") {
      if (!paf::tools::parse_net(value, net)) return usage();
    } else if (arg == "--net-config") {
      net.config = value;
    } else if (arg == "--host") {
      host = value;
    } else if (arg == "--http") {
      if (!parse_number(value, port)) return usage();
    } else if (arg == "--https") {
      if (!parse_number(value, https_port.emplace())) return usage();
    } else if (arg == "--cert") {
      certs.emplace_back(value);
    } else if (arg == "--key") {
      keys.emplace_back(value);
    } else if (arg == "--acme-directory") {
      acme_directory = value;
    } else if (arg == "--acme-email") {
      acme_email = value;
    } else if (arg == "--acme-ca") {
      acme_ca = value;
    } else if (arg == "--acme-state") {
      acme_state = value;
    } else if (arg == "--acme-renew-before") {
      if (!parse_number(value, acme_renew_before) || acme_renew_before == 0) return usage();
    } else if (arg == "--acme-min-renewal-interval") {
      if (!parse_number(value, acme_min_renewal_interval)) return usage();
    } else if (arg == "--acme-eab-kid") {
      acme_eab_kid = value;
    } else if (arg == "--acme-eab-hmac-key") {
      acme_eab_hmac_key = value;
    } else if (arg == "--acme-challenge") {
      if (value != "http-01" && value != "tls-alpn-01") return usage();
      acme_challenge =
          value == "http-01" ? paf::acme::Challenge::http_01 : paf::acme::Challenge::tls_alpn_01;
      acme_challenge_set = true;
    } else if (arg == "--domain") {
      domains.emplace_back(value);
    } else if (arg == "--header-timeout") {
      std::uint64_t seconds = 0;
      if (!parse_number(value, seconds) || seconds == 0) return usage();
      h1.header_timeout_ns = paf::seconds(seconds);
    } else if (arg == "--body-timeout") {
      std::uint64_t seconds = 0;
      if (!parse_number(value, seconds) || seconds == 0) return usage();
      h1.body_timeout_ns = paf::seconds(seconds);
    } else {
      return usage();
    }
  }
  if (acme_directory) {
    if (!https_port || !certs.empty() || !keys.empty() || domains.empty() || net.tap_interface ||
        acme_eab_kid.has_value() != acme_eab_hmac_key.has_value())
      return usage();
  } else if (!domains.empty() || acme_email || acme_state || acme_challenge_set || acme_eab_kid ||
             acme_eab_hmac_key || certs.size() != keys.size() ||
             (https_port.has_value() != !certs.empty())) {
    return usage();
  }

  // Signals arrive on a descriptor the loop watches, so shutdown starts from
  // the loop like any other event.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  if (sigprocmask(SIG_BLOCK, &signals, nullptr) != 0) return std::perror("sigprocmask"), 1;
  int signal_fd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) return std::perror("signalfd"), 1;
  ::signal(SIGPIPE, SIG_IGN);

  auto backend = paf::posix::EpollLoopBackend::create();
  if (!backend) {
    std::fprintf(stderr, "paf-server: epoll: %.*s\n", int(backend.error().message.size()),
                 backend.error().message.data());
    return 1;
  }
  paf::Loop loop(**backend);
  std::optional<paf::TlsConfig> tls;
  if (https_port && !acme_directory && !(tls = tls_config(certs, keys))) return 1;
  // Host sockets, or lwIP over a TAP interface.
  std::optional<paf::tools::LwipNetwork> lwip;
  auto listen_on = [&](std::uint16_t on_port) -> std::unique_ptr<paf::Listener> {
    if (!lwip) return listen(**backend, host, on_port);
    auto listener = lwip->stack->listen(on_port);
    if (!listener) return print_error("cannot listen", listener.error()), nullptr;
    return std::move(*listener);
  };
  if (net.tap_interface) {
    if (!(lwip = paf::tools::start_lwip(loop, **backend, net, "paf-server"))) return 1;
    // SLAAC may take a few seconds more: say so when it comes.
    lwip->stack->when_ipv6_ready([&lwip] {
      std::fprintf(stdout, "paf-server: IPv6 address %s (SLAAC)\n",
                   lwip->stack->ipv6_address().c_str());
      std::fflush(stdout);
    });
  }
  std::unique_ptr<paf::Listener> listener = listen_on(port);
  if (!listener) return 1;
  std::unique_ptr<paf::Listener> tls_listener;
  if (https_port && !(tls_listener = listen_on(*https_port))) return 1;

  paf::Switch stop;
  bool watching_signals = true;
  auto stop_watching_signals = [&] {
    if (!watching_signals) return;
    watching_signals = false;
    (*backend)->unwatch(signal_fd);
  };
  if (!(*backend)->watch(signal_fd,
                         [&](paf::posix::IoEvents) {
                           signalfd_siginfo info;
                           while (::read(signal_fd, &info, sizeof info) == sizeof info) {
                             std::fprintf(stderr, "paf-server: %s, shutting down\n",
                                          strsignal(int(info.ssi_signo)));
                             stop.turn_off();
                           }
                         }) ||
      !(*backend)->set_interest(signal_fd, true, false)) {
    std::fprintf(stderr, "paf-server: cannot watch signals\n");
    return 1;
  }

  // ACME: a Manager keeps the certificate in `acme_slot`, which the https
  // service reads at each accepted connection. With TLS-ALPN-01 the HTTPS
  // port answers the CA's validations before the certificate exists: the
  // slot starts with a config that only answers them, and every certificate
  // the Manager puts in it keeps answering them.
  const bool tls_alpn01 = acme_directory && acme_challenge == paf::acme::Challenge::tls_alpn_01;
  paf::acme::TlsAlpn01Responder alpn_responder;
  paf::TlsConfigSlot acme_slot;
  if (tls_alpn01) {
    auto answers_only =
        paf::TlsConfig::server().handshake_answers(alpn_responder.answers()).build();
    if (!answers_only) return print_error("TLS-ALPN-01", answers_only.error()), 1;
    acme_slot.set(*answers_only);
  }

  // Each listener's serve() stops on its own; the loop, once every one has.
  // (With ACME by HTTP-01, HTTPS is served once the certificate has come.)
  int serving = (tls_listener && tls) || tls_alpn01 ? 2 : 1;
  int exit_status = 0;
  auto serve_options = [&] {
    paf::ServeOptions options;
    options.on_stopped = [&] {
      if (--serving > 0) return;
      stop_watching_signals();
      loop.stop();
    };
    // A failed handshake or a silent client ends its connection only: say why.
    options.on_refused = [](std::string_view peer, const paf::Error& error) {
      std::fprintf(stderr, "paf-server: %.*s: %.*s\n", int(peer.size()), peer.data(),
                   int(error.message.size()), error.message.data());
    };
    return options;
  };
  auto handler = [demo_options](paf::Reqd& reqd) { paf::demo::handle(reqd, demo_options); };
  // ACME's HTTP-01 answers go in front of the demo on the plain port.
  paf::acme::Http01Responder responder;
  paf::serve(loop, paf::http_service(responder.handler(handler), paf::default_error_reply, h1),
             *listener, stop, serve_options());
  if (tls_listener && tls)
    paf::serve(loop, paf::https_service(*tls, handler, paf::default_error_reply, h1), *tls_listener,
               stop, serve_options());
  if (tls_alpn01)
    paf::serve(loop, paf::https_service(acme_slot, handler, paf::default_error_reply, h1),
               *tls_listener, stop, serve_options());
  std::unique_ptr<paf::Client> acme_client;
  bool have_acme_certificate = false;
  std::unique_ptr<paf::acme::Manager> acme_manager;
  if (acme_directory) {
    auto ca_bundle = read_file(acme_ca);
    if (!ca_bundle) return std::fprintf(stderr, "paf-server: cannot read %s\n", acme_ca.c_str()), 1;
    auto client_tls =
        paf::TlsConfig::client().trust_ca(*ca_bundle).alpn({"h2", "http/1.1"}).build();
    if (!client_tls) return print_error("--acme-ca", client_tls.error()), 1;
    paf::mimic::Ctx ctx = paf::posix::with_host_protocols({}, **backend);
    acme_client = std::make_unique<paf::Client>(
        loop, paf::mimic_connector(ctx.with(paf::mimic::keys::tls, *client_tls), loop));
    paf::acme::ManagerConfig manager;
    if (acme_state) {
      auto store = paf::tools::AcmeFileStore::open(*acme_state);
      if (!store) return print_error("--acme-state", store.error()), 1;
      manager.store = std::move(*store);
    }
    auto log = [](std::string_view line) {
      std::fprintf(stdout, "paf-server: %.*s\n", int(line.size()), line.data());
      std::fflush(stdout);
    };
    manager.acme = [=, &responder] {
      paf::acme::Config config;
      config.directory = paf::Buffer(*acme_directory);
      if (acme_email) config.contact_email = paf::Buffer(*acme_email);
      for (const std::string& domain : domains) config.names.emplace_back(domain);
      config.http01 = responder;
      config.challenge = acme_challenge;
      config.tls_alpn01 = alpn_responder;
      if (acme_eab_kid) config.eab_key_id = paf::Buffer(*acme_eab_kid);
      if (acme_eab_hmac_key) config.eab_hmac_key = paf::Buffer(*acme_eab_hmac_key);
      config.log = log;
      return config;
    };
    if (tls_alpn01)
      manager.tls_config = [alpn_responder](std::string_view chain_pem, std::string_view key_pem) {
        return paf::TlsConfig::server(chain_pem, key_pem)
            .alpn({"h2", "http/1.1"})
            .handshake_answers(alpn_responder.answers())
            .build();
      };
    manager.log = log;
    manager.slot = acme_slot;
    manager.renew_when_remaining_below_ns = paf::seconds(acme_renew_before);
    manager.min_renewal_interval_ns = paf::seconds(acme_min_renewal_interval);
    manager.on_certificate = [&](const paf::acme::CertificateInfo&, bool) {
      if (have_acme_certificate) return;  // a renewal: the slot has it
      have_acme_certificate = true;
      if (!tls_alpn01) {  // (TLS-ALPN-01's service serves the slot already)
        ++serving;
        paf::serve(loop, paf::https_service(acme_slot, handler, paf::default_error_reply, h1),
                   *tls_listener, stop, serve_options());
      }
      std::fprintf(stdout, "paf-server: serving https with the ACME certificate\n");
      std::fflush(stdout);
    };
    // Without a certificate yet, the CA's reason (which the Manager has
    // logged) ends the server; with one, it goes on serving and retries.
    manager.on_failure = [&](const paf::acme::Failure&, std::uint64_t) {
      if (have_acme_certificate) return;
      exit_status = 1;
      stop.turn_off();
    };
    acme_manager = std::make_unique<paf::acme::Manager>(std::move(manager), *acme_client, loop);
  }
  auto say_listening = [&](const char* scheme, const paf::Listener& on) {
    std::string_view address = on.local_address();
    if (lwip)
      std::fprintf(stdout, "paf-server: listening on %s://%s:%u (lwIP on %s)\n", scheme,
                   lwip->stack->ipv4_address().c_str(), *on.port(), lwip->interface_name.c_str());
    else
      std::fprintf(stdout, "paf-server: listening on %s://%.*s\n", scheme, int(address.size()),
                   address.data());
  };
  say_listening("http", *listener);
  if (tls_listener && (tls || tls_alpn01)) say_listening("https", *tls_listener);
  std::fflush(stdout);

  auto ran = loop.run();
  // lwIP sends what closed flows still hold as peers acknowledge it.
  if (ran && lwip) paf::tools::finish_sending(loop, *lwip, paf::seconds(2), "paf-server");
  stop_watching_signals();
  ::close(signal_fd);
  if (!ran) {
    std::fprintf(stderr, "paf-server: loop failed: %.*s\n", int(ran.error().message.size()),
                 ran.error().message.data());
    return 1;
  }
  std::fprintf(stderr, "paf-server: stopped\n");
  return exit_status;
}
