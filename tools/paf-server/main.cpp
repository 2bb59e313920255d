// paf-server: the demo application (DESIGN §6) on host TCP listeners:
// HTTP/1.x and h2c (HTTP/2 with prior knowledge) on the plain port, and, with
// --https, HTTP/2 and HTTP/1.1 over TLS chosen by ALPN. SIGINT or SIGTERM shut
// it down gracefully; it then exits 0.
//
//   paf-server [--host ADDR] [--http PORT] [--https PORT --cert FILE --key FILE
//              [--cert FILE --key FILE]...] [--header-timeout SECONDS]
//              [--access-log on|off]
//   (defaults: 127.0.0.1, 8080, no TLS, 10 s, on: one line per request on stderr)
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

#include "demo_handler.h"
#include "paf/loop.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/socket_listener.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "paf/tls.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: paf-server [--host ADDR] [--http PORT] [--https PORT --cert FILE --key FILE"
               " [--cert FILE --key FILE]...] [--header-timeout SECONDS] [--access-log on|off]\n");
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
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage();
    std::string_view value = argv[++i];
    if (arg == "--access-log") {
      if (value != "on" && value != "off") return usage();
      demo_options.access_log = value == "on";
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
    } else if (arg == "--header-timeout") {
      std::uint64_t seconds = 0;
      if (!parse_number(value, seconds) || seconds == 0) return usage();
      h1.header_timeout_ns = paf::seconds(seconds);
    } else {
      return usage();
    }
  }
  if (certs.size() != keys.size() || (https_port.has_value() != !certs.empty())) return usage();

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
  if (https_port && !(tls = tls_config(certs, keys))) return 1;
  auto listener = listen(**backend, host, port);
  if (!listener) return 1;
  std::unique_ptr<paf::posix::TcpListener> tls_listener;
  if (https_port && !(tls_listener = listen(**backend, host, *https_port))) return 1;

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

  // Each listener's serve() stops on its own; the loop, once both have.
  int serving = tls_listener ? 2 : 1;
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
  paf::serve(loop, paf::http_service(handler, paf::default_error_reply, h1), *listener, stop,
             serve_options());
  if (tls_listener)
    paf::serve(loop, paf::https_service(*tls, handler, paf::default_error_reply, h1), *tls_listener,
               stop, serve_options());
  std::string_view address = listener->local_address();
  std::fprintf(stdout, "paf-server: listening on http://%.*s\n", int(address.size()),
               address.data());
  if (tls_listener) {
    address = tls_listener->local_address();
    std::fprintf(stdout, "paf-server: listening on https://%.*s\n", int(address.size()),
                 address.data());
  }
  std::fflush(stdout);

  auto ran = loop.run();
  stop_watching_signals();
  ::close(signal_fd);
  if (!ran) {
    std::fprintf(stderr, "paf-server: loop failed: %.*s\n", int(ran.error().message.size()),
                 ran.error().message.data());
    return 1;
  }
  std::fprintf(stderr, "paf-server: stopped\n");
  return 0;
}
