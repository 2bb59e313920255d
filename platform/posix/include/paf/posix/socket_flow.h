// Host flows: a non-blocking stream socket — TCP over IPv4 or IPv6, or a Unix
// domain socket — as a paf::Flow on the epoll loop backend. One implementation
// serves all three: past connect and accept, the descriptor is the descriptor.
//
// The descriptor is watched edge-triggered: the flow keeps the readiness the
// edges report, so a read after the receive queue drained, or a write after
// the send buffer filled, fails with would_block with no system call, and
// waiting costs none either. It counts as an I/O source only while a wakeup is
// pending, so an idle flow leaves the loop idle; wakeups come from the
// backend's wait(), never from inside a call on the flow.
#ifndef PAF_POSIX_SOCKET_FLOW_H
#define PAF_POSIX_SOCKET_FLOW_H

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "paf/detail/anchor.h"
#include "paf/flow.h"
#include "paf/posix/epoll_loop_backend.h"

namespace paf::posix {

class SocketFlow;

// Starts connecting to a numeric address ("127.0.0.1", "::1") and returns the
// flow at once: its first when_writable fires when the connection is up, or
// when it failed — read and writev then report the error (refused: Errc::closed
// with detail ECONNREFUSED). Fails at once only for a bad address or when no
// socket can be made. TCP_NODELAY is set: paf writes whole messages.
Result<std::unique_ptr<SocketFlow>> connect_tcp(EpollLoopBackend& backend, std::string_view host,
                                                std::uint16_t port);
// The same over a Unix domain stream socket at `path`.
Result<std::unique_ptr<SocketFlow>> connect_unix(EpollLoopBackend& backend, std::string_view path);

class SocketFlow final : public Flow {
 public:
  // Takes ownership of `fd`, a connected stream socket (made non-blocking
  // here); `peer` names the other end for peer().
  static Result<std::unique_ptr<SocketFlow>> adopt(EpollLoopBackend& backend, int fd,
                                                   std::string peer);

  SocketFlow(const SocketFlow&) = delete;
  SocketFlow& operator=(const SocketFlow&) = delete;
  ~SocketFlow() override;

  Result<std::size_t> read(MutableBytes buffer) override;
  Result<std::size_t> writev(std::span<const Bytes> buffers) override;
  Result<void> shutdown_write() override;
  void close() override;
  void when_readable(Function<void()> wakeup) override;
  void when_writable(Function<void()> wakeup) override;
  std::string_view peer() const override { return peer_; }

  // The socket, for socket options (buffer sizes, SO_LINGER); the flow keeps
  // owning it. -1 once closed.
  int fd() const { return fd_; }

 private:
  friend Result<std::unique_ptr<SocketFlow>> connect_tcp(EpollLoopBackend&, std::string_view,
                                                         std::uint16_t);
  friend Result<std::unique_ptr<SocketFlow>> connect_unix(EpollLoopBackend&, std::string_view);

  SocketFlow(EpollLoopBackend& backend, int fd, std::string peer)
      : backend_(backend), fd_(fd), peer_(std::move(peer)) {}
  // Makes a socket of `address`'s family and starts connecting it.
  static Result<std::unique_ptr<SocketFlow>> start_connect(EpollLoopBackend& backend,
                                                           const sockaddr* address,
                                                           socklen_t length, std::string peer);
  static Result<std::unique_ptr<SocketFlow>> create(EpollLoopBackend& backend, int fd,
                                                    std::string peer);
  Result<void> check_usable();
  void settle_connect();
  Result<void> shut_write_side();
  void on_events(IoEvents events);
  void update_interest();
  std::unexpected<Error> failure(int errno_value);

  EpollLoopBackend& backend_;
  int fd_;
  std::string peer_;
  Function<void()> read_wakeup_, write_wakeup_;
  // The error that ended the connection (refused, reset): every later read
  // and write reports it, as the socket itself would only once.
  std::optional<Error> error_;
  bool connecting_ = false;  // a non-blocking connect is in progress
  // Readiness as the edges report it: cleared when the kernel says "drained"
  // (EAGAIN, a short read) or "full" (EAGAIN, a short write), set by the next
  // edge. Both start set: an accepted socket may hold bytes already.
  bool read_ready_ = true, write_ready_ = true;
  bool hangup_ = false;      // the peer shut or reset: read on until end of stream
  bool write_shut_ = false;  // shutdown_write() was called (and, if connecting_, is deferred)
  Anchor<SocketFlow> anchor_{this};  // a wakeup may destroy the flow
};

}  // namespace paf::posix

#endif
