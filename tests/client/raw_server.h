// A test server on a raw socket: a thread on 127.0.0.1 that plays one script
// per connection it accepts, in order (read a request, answer anything, good
// or bad, stall, close), so that a test can make a peer misbehave exactly.
// Every wait is bounded; the thread ends once its scripts are played or after
// a few seconds without a connection.
#ifndef PAF_TESTS_CLIENT_RAW_SERVER_H
#define PAF_TESTS_CLIENT_RAW_SERVER_H

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace paf::testing {

class RawServer {
 public:
  using Script = std::function<void(int fd)>;

  explicit RawServer(std::vector<Script> scripts) : scripts_(std::move(scripts)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~RawServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::uint16_t port() const { return port_; }
  // Connections accepted so far.
  int accepted() const { return accepted_; }

  // Reads until the end of a request head ("\r\n\r\n"), or end of stream;
  // returns what was read (empty when nothing came within 5 s).
  static std::string read_head(int fd) {
    std::string text;
    char buffer[4096];
    while (text.find("\r\n\r\n") == std::string::npos) {
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 5000) <= 0) break;
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }
  // Reads exactly `size` bytes, 5 s at most; returns them (fewer on failure).
  static std::string read_exactly(int fd, std::size_t size) {
    std::string text;
    char buffer[4096];
    while (text.size() < size) {
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 5000) <= 0) break;
      ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, size - text.size()));
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }
  static void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // Waits (5 s at most) until the peer closes or sends more.
  static void wait_for_peer(int fd) {
    pollfd ready{fd, POLLIN, 0};
    ::poll(&ready, 1, 5000);
  }

  // Reads and drops what comes until the peer closes (5 s at most).
  static void drain_until_closed(int fd) {
    char buffer[4096];
    for (int reads = 0; reads < 1000; ++reads) {
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 5000) <= 0 || ::read(fd, buffer, sizeof buffer) <= 0) return;
    }
  }

  // A script: read a request head, write `answer`, close.
  static Script answer(std::string answer) {
    return [answer = std::move(answer)](int fd) {
      read_head(fd);
      write_all(fd, answer);
    };
  }
  // A script: read the first bytes that come, whatever they are, write `answer`, close.
  static Script answer_first_bytes(std::string answer) {
    return [answer = std::move(answer)](int fd) {
      char buffer[4096];
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 5000) == 1) (void)::read(fd, buffer, sizeof buffer);
      write_all(fd, answer);
    };
  }

 private:
  void serve() {
    for (Script& script : scripts_) {
      int fd = -1;
      for (int waited = 0; fd < 0 && waited < 100 && !stop_; ++waited) {
        pollfd ready{listener_, POLLIN, 0};
        if (::poll(&ready, 1, 100) == 1) fd = ::accept(listener_, nullptr, nullptr);
      }
      if (fd < 0) return;
      ++accepted_;
      script(fd);
      ::close(fd);
    }
  }

  std::vector<Script> scripts_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace paf::testing

#endif
