// What the socket tests share: a loop on a real epoll backend, listeners and
// connections over each transport, and flow drivers that write or read a whole
// stream from the loop.
#ifndef PAF_TESTS_SUPPORT_SOCKET_TEST_SUPPORT_H
#define PAF_TESTS_SUPPORT_SOCKET_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "paf/loop.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/socket_flow.h"
#include "paf/posix/socket_listener.h"
#include "support/text_bytes.h"

namespace paf::posix::test {

enum class Transport { tcp4, tcp6, unix_socket };

inline std::string transport_name(const ::testing::TestParamInfo<Transport>& info) {
  switch (info.param) {
    case Transport::tcp4:
      return "Tcp4";
    case Transport::tcp6:
      return "Tcp6";
    case Transport::unix_socket:
      return "Unix";
  }
  return "?";
}

inline void PrintTo(Transport transport, std::ostream* out) {
  *out << (transport == Transport::tcp4 ? "tcp4" : transport == Transport::tcp6 ? "tcp6" : "unix");
}

// Descriptors this process holds: a test must give back all it opened.
inline std::size_t open_descriptor_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++count;
  return count;
}

using paf::testing::bytes_of;

// `size` bytes where each depends on its offset, so a lost, repeated or
// reordered chunk shows.
inline std::string pattern(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<char>((i >> 16) * 7 + (i >> 8) * 3 + i);
  return bytes;
}

// Writes `data` to a flow as it takes it, from the loop, then shuts the write side.
class Writer {
 public:
  Writer(Flow& flow, std::string data, bool shut = true)
      : flow_(flow), data_(std::move(data)), shut_(shut) {}
  void start() { pump(); }

  bool done = false;
  std::size_t would_blocks = 0;
  std::optional<Error> error;

 private:
  void pump() {
    while (sent_ < data_.size()) {
      auto n = flow_.write(bytes_of(std::string_view(data_).substr(sent_)));
      if (!n && n.error().code == Errc::would_block) {
        ++would_blocks;
        flow_.when_writable([this] { pump(); });
        return;
      }
      if (!n) {
        error = n.error();
        return;
      }
      sent_ += *n;
    }
    if (auto shut = shut_ ? flow_.shutdown_write() : Result<void>{}; !shut) error = shut.error();
    done = true;
  }

  Flow& flow_;
  std::string data_;
  bool shut_;
  std::size_t sent_ = 0;
};

// Reads a flow until end of stream (or an error), from the loop.
class Reader {
 public:
  explicit Reader(Flow& flow) : flow_(flow) {}
  void start() { pump(); }

  std::string received;
  bool end_of_stream = false;
  std::optional<Error> error;
  bool finished() const { return end_of_stream || error.has_value(); }

 private:
  void pump() {
    std::uint8_t buffer[16 * 1024];
    for (;;) {
      auto n = flow_.read(buffer);
      if (!n && n.error().code == Errc::would_block) {
        flow_.when_readable([this] { pump(); });
        return;
      }
      if (!n) {
        error = n.error();
        return;
      }
      if (*n == 0) {
        end_of_stream = true;
        return;
      }
      received.append(reinterpret_cast<const char*>(buffer), *n);
    }
  }

  Flow& flow_;
};

// A connected pair: the client end, the accepted server end, and the listener.
struct Connection {
  std::unique_ptr<Listener> listener;
  std::unique_ptr<SocketFlow> client;
  std::unique_ptr<Flow> server;
};

// A loop on a real epoll backend, and a temporary directory for Unix sockets.
class LoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    descriptors_before_ = open_descriptor_count();
    auto created = EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
    std::string directory_template =
        (std::filesystem::temp_directory_path() / "paf-posix-XXXXXX").string();
    ASSERT_NE(::mkdtemp(directory_template.data()), nullptr);
    directory = directory_template;
  }
  void TearDown() override {
    loop.reset();
    backend.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    EXPECT_EQ(open_descriptor_count(), descriptors_before_) << "a descriptor was left open";
  }

  std::string socket_path() const { return (directory / "paf.sock").string(); }

  // Runs the loop until `done` holds or `timeout` passes; returns `done()`.
  bool run_until(const std::function<bool()>& done, std::uint64_t timeout = seconds(10)) {
    std::uint64_t deadline = loop->now_ns() + timeout;
    while (!done() && loop->now_ns() < deadline) {
      auto exit = loop->run_until(std::min(deadline, loop->now_ns() + milliseconds(20)));
      if (!exit) {
        ADD_FAILURE() << "loop: " << exit.error().message;
        return false;
      }
    }
    return done();
  }
  // Runs the loop for `duration`, whatever happens.
  void run_for(std::uint64_t duration) { (void)loop->run_until(loop->now_ns() + duration); }

  // Takes one connection from `listener`, waiting on the loop (bounded).
  std::unique_ptr<Flow> accept_one(Listener& listener) {
    std::unique_ptr<Flow> accepted;
    std::function<void()> try_accept = [&] {
      auto flow = listener.accept();
      if (flow)
        accepted = std::move(*flow);
      else if (flow.error().code == Errc::would_block)
        listener.when_acceptable([&] { try_accept(); });
      else
        ADD_FAILURE() << "accept: " << flow.error().message;
    };
    try_accept();
    run_until([&] { return accepted != nullptr; });
    return accepted;
  }

  std::unique_ptr<EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::filesystem::path directory;

 private:
  std::size_t descriptors_before_ = 0;
};

// A LoopTest over each transport, on loopback: TCP/IPv4, TCP/IPv6 and Unix.
class SocketTest : public LoopTest, public ::testing::WithParamInterface<Transport> {
 protected:
  Transport transport() const { return GetParam(); }
  std::string_view loopback() const { return transport() == Transport::tcp6 ? "::1" : "127.0.0.1"; }

  // A listener on the loopback address (port 0) or a Unix socket in `directory`.
  Result<std::unique_ptr<Listener>> listen() {
    if (transport() == Transport::unix_socket) return UnixListener::listen(*backend, socket_path());
    return TcpListener::listen(*backend, loopback(), 0);
  }
  Result<std::unique_ptr<SocketFlow>> connect_to(std::uint16_t port) {
    if (transport() == Transport::unix_socket) return connect_unix(*backend, socket_path());
    return connect_tcp(*backend, loopback(), port);
  }
  Result<std::unique_ptr<SocketFlow>> connect_to(const Listener& listener) {
    return connect_to(listener.port().value_or(0));
  }

  // Listens, connects and accepts; skips the test where the host has no IPv6.
  Connection connect_pair() {
    Connection pair;
    auto listener = listen();
    if (!listener) {
      if (transport() == Transport::tcp6)
        [] { GTEST_SKIP() << "no IPv6 loopback here"; }();
      else
        ADD_FAILURE() << "listen: " << listener.error().message;
      return pair;
    }
    pair.listener = std::move(*listener);
    auto client = connect_to(*pair.listener);
    if (!client) {
      ADD_FAILURE() << "connect: " << client.error().message;
      return pair;
    }
    pair.client = std::move(*client);
    pair.server = accept_one(*pair.listener);
    return pair;
  }
};

// After connect_pair() or listen(): a test without a connection ends here.
#define PAF_RETURN_IF_SKIPPED_OR_FAILED() \
  if (IsSkipped() || HasFailure()) return

}  // namespace paf::posix::test

#endif
