// What the client's tests share: a loop on epoll, a connector on host sockets
// (and paf's TLS), peer processes started on free loopback ports and stopped
// by PID, a scratch folder, and what one response looked like.
#ifndef PAF_TESTS_CLIENT_SUPPORT_H
#define PAF_TESTS_CLIENT_SUPPORT_H

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "paf/client.h"
#include "paf/loop.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/mimic.h"
#include "paf/tls.h"

namespace paf::testing {

// A connector through Mimic on the host: DNS (c-ares, /etc/hosts), TCP, and
// for https origins paf's TLS client with `tls` (none: https fails).
inline Connector host_connector(posix::EpollLoopBackend& backend, Loop& loop,
                                std::optional<TlsConfig> tls = std::nullopt) {
  mimic::Ctx ctx = posix::with_host_protocols({}, backend);
  if (tls) ctx = ctx.with(mimic::keys::tls, *tls);
  return mimic_connector(ctx, loop);
}

inline Origin origin(std::string_view scheme, std::string_view host, std::uint16_t port) {
  return Origin{Buffer(scheme), Buffer(host), port};
}

// Runs `loop` until `done()` holds or `seconds` pass; returns done().
template <typename Condition>
bool run_until(Loop& loop, Condition done, double seconds = 10) {
  const std::uint64_t deadline = loop.now_ns() + static_cast<std::uint64_t>(seconds * 1e9);
  while (!done() && loop.now_ns() < deadline) {
    auto ran = loop.run_until(std::min(deadline, loop.now_ns() + milliseconds(20)));
    if (!ran) return false;
  }
  return done();
}

// A port nobody listens on now (the kernel's pick, released at once).
inline std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Whether something accepts connections on 127.0.0.1:port.
inline bool accepting(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// A temporary folder, removed with everything in it.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    char name[] = "/tmp/paf-client-test.XXXXXX";
    path = ::mkdtemp(name);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A child process, stopped and reaped by its PID when this goes.
struct Process {
  pid_t pid = -1;
  Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process() { stop(); }

  // Starts argv[0] with `argv`, its stdout and stderr to `log`.
  bool start(const std::vector<std::string>& argv, const std::string& log) {
    pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
      FILE* out = std::freopen(log.c_str(), "w", stdout);
      (void)out;
      ::dup2(STDOUT_FILENO, STDERR_FILENO);
      std::vector<char*> args;
      for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    return true;
  }
  bool running() {
    if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) != 0) pid = -1;  // exited, and reaped
    return pid > 0;
  }
  // SIGTERM (nginx's master then stops its workers), SIGKILL after 5 s.
  void stop() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid, nullptr, WNOHANG) != 0) {
        pid = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
  }
};

// Waits (10 s at most) until the port accepts connections or the process died.
inline bool wait_accepting(Process& process, std::uint16_t port) {
  for (int i = 0; i < 200; ++i) {
    if (accepting(port)) return true;
    if (!process.running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A self-signed certificate for localhost and 127.0.0.1 in `dir`: cert.pem, key.pem.
inline bool make_certificate(const ScratchDir& dir) {
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 "
      "-keyout " +
      dir.file("key.pem") + " -out " + dir.file("cert.pem") + " 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

// nginx, unprivileged, from `dir`/nginx.conf: `daemon off`, its pid file,
// error log and temporary folders in `dir`, and `http` (log format, access
// log, servers) in its http block. Run as root, nginx's workers become
// nobody: files they serve must be readable by all.
inline bool start_nginx(Process& process, const ScratchDir& dir, const std::string& http) {
  std::filesystem::create_directories(dir.path / "temp");
  std::ofstream(dir.file("nginx.conf"))
      << "worker_processes 1;\ndaemon off;\npid " << dir.file("nginx.pid") << ";\n"
      << "error_log " << dir.file("error.log") << " info;\n"
      << "events { worker_connections 512; }\n"
      << "http {\n"
      << "  client_body_temp_path " << dir.file("temp/body") << ";\n"
      << "  proxy_temp_path " << dir.file("temp/proxy") << ";\n"
      << "  fastcgi_temp_path " << dir.file("temp/fastcgi") << ";\n"
      << "  uwsgi_temp_path " << dir.file("temp/uwsgi") << ";\n"
      << "  scgi_temp_path " << dir.file("temp/scgi") << ";\n"
      << http << "}\n";
  return process.start({"/usr/sbin/nginx", "-p", dir.path.string(), "-e", dir.file("error.log"),
                        "-c", dir.file("nginx.conf")},
                       dir.file("nginx.out"));
}

// The lines of a log file so far.
inline std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream text(read_file(path));
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  return lines;
}

// What the application saw of one response.
struct Seen {
  std::optional<int> status;
  Headers headers;
  std::string body;
  std::string trailers;
  bool ended = false;
  std::optional<Error> error;

  bool done() const { return ended || error.has_value(); }
};

inline std::string as_text(Bytes bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A response handler that records into `seen` (which must outlive the exchange).
inline ResponseHandler record(Seen* seen) {
  return [seen](Result<Response> response, BodyReader body) {
    if (!response) {
      seen->error = response.error();
      return;
    }
    seen->status = response->status;
    seen->headers = std::move(response->headers);
    body.on_data([seen](Bytes bytes) { seen->body += as_text(bytes); });
    body.on_end([seen, body](Result<void> end) {
      for (auto field : body.trailers())
        seen->trailers.append(field.name).append("=").append(field.value).append(";");
      if (end)
        seen->ended = true;
      else
        seen->error = end.error();
    });
  };
}

// A suite with one server from Debian (nginx, h2o) for all its tests, and an
// event loop per test. `Server` names its program (kProgram) and package
// (kPackage), and has start() and access_log(); the tests reach it as `peer`.
template <typename Server>
class PeerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(Server::kProgram)) return;
    peer = new Server;
    if (!peer->start()) {
      delete peer;
      peer = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete peer;
    peer = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(peer, nullptr) << Server::kProgram << " did not start (tools/install-build-deps installs "
                             << Server::kPackage << ")";
    auto created = posix::EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
    log_lines_before = peer->access_log().size();
  }
  void TearDown() override {
    client.reset();
    loop.reset();
    backend.reset();
  }

  // The access log's lines since the test began, once `count` are there
  // (servers log a request after answering it), or what there is after 2 s.
  std::vector<std::string> logged(std::size_t count) {
    std::vector<std::string> lines;
    for (int i = 0; i < 100; ++i) {
      lines = peer->access_log();
      if (lines.size() >= log_lines_before + count) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    lines.erase(lines.begin(),
                lines.begin() + static_cast<std::ptrdiff_t>(std::min(log_lines_before, lines.size())));
    return lines;
  }

  static inline Server* peer = nullptr;
  std::unique_ptr<posix::EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<Client> client;
  std::size_t log_lines_before = 0;
};

}  // namespace paf::testing

#endif
