// paf-server: the demo application (DESIGN §6) over HTTP/1.x on a host TCP
// listener. SIGINT or SIGTERM shut it down gracefully; it then exits 0.
//
//   paf-server [--host ADDR] [--http PORT] [--access-log on|off]
//   (defaults: 127.0.0.1, 8080, on: one line per request on stderr)
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "demo_handler.h"
#include "paf/loop.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/socket_listener.h"
#include "paf/service.h"
#include "paf/switch.h"

namespace {

int usage() {
  std::fprintf(stderr, "usage: paf-server [--host ADDR] [--http PORT] [--access-log on|off]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  paf::demo::Options demo_options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--access-log" && i + 1 < argc) {
      std::string_view value = argv[++i];
      if (value != "on" && value != "off") return usage();
      demo_options.access_log = value == "on";
    } else if ((arg == "--host" || arg == "--http") && i + 1 < argc) {
      std::string_view value = argv[++i];
      if (arg == "--host") {
        host = value;
        continue;
      }
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), port);
      if (error != std::errc{} || end != value.data() + value.size()) return usage();
    } else {
      return usage();
    }
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
  auto listener = paf::posix::TcpListener::listen(**backend, host, port);
  if (!listener) {
    std::fprintf(stderr, "paf-server: cannot listen on %s:%u: %.*s (%s)\n", host.c_str(), port,
                 int(listener.error().message.size()), listener.error().message.data(),
                 std::strerror(listener.error().detail));
    return 1;
  }

  paf::Switch stop;
  bool watching_signals = true;
  auto stop_watching_signals = [&] {
    if (!watching_signals) return;
    watching_signals = false;
    (*backend)->unwatch(signal_fd);
  };
  if (!(*backend)->watch(signal_fd, [&](paf::posix::IoEvents) {
        signalfd_siginfo info;
        while (::read(signal_fd, &info, sizeof info) == sizeof info) {
          std::fprintf(stderr, "paf-server: %s, shutting down\n", strsignal(int(info.ssi_signo)));
          stop.turn_off();
        }
      }) ||
      !(*backend)->set_interest(signal_fd, true, false)) {
    std::fprintf(stderr, "paf-server: cannot watch signals\n");
    return 1;
  }

  paf::ServeOptions options;
  options.on_stopped = [&] {
    stop_watching_signals();
    loop.stop();
  };
  auto handler = [demo_options](paf::Reqd& reqd) { paf::demo::handle(reqd, demo_options); };
  paf::serve(loop, paf::http_service(std::move(handler), paf::default_error_reply), **listener,
             stop, std::move(options));
  std::string_view address = (*listener)->local_address();
  std::fprintf(stdout, "paf-server: listening on http://%.*s\n", int(address.size()), address.data());
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
