#include "paf/posix/socket_flow.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>
#include <utility>

#include "socket_address.h"
#include "socket_error.h"
#include "socket_options.h"
#include "unique_fd.h"

namespace paf::posix {
namespace {

// Buffers one sendmsg() takes; more are left for the next call (a partial
// write, as writev allows).
constexpr std::size_t kMaxIovecs = 64;

// A connect that failed: the error every read and write of the flow reports.
Error connect_error(int errno_value) {
  // A Unix listener with a full backlog refuses a non-blocking connect with
  // EAGAIN: nothing to wait for, the connection is not made.
  if (errno_value == EAGAIN)
    return Error{Errc::io_error, "socket: the listener's backlog is full", EAGAIN};
  return socket_error(errno_value);
}

}  // namespace

Result<std::unique_ptr<SocketFlow>> connect_tcp(EpollLoopBackend& backend, std::string_view host,
                                                std::uint16_t port) {
  auto address = ip_address(host, port);
  if (!address) return std::unexpected(address.error());
  return SocketFlow::start_connect(backend, address->get(), address->length, describe(*address));
}

Result<std::unique_ptr<SocketFlow>> connect_unix(EpollLoopBackend& backend, std::string_view path) {
  auto address = unix_address(path);
  if (!address) return std::unexpected(address.error());
  return SocketFlow::start_connect(backend, address->get(), address->length, describe(*address));
}

Result<std::unique_ptr<SocketFlow>> SocketFlow::start_connect(EpollLoopBackend& backend,
                                                              const sockaddr* address,
                                                              socklen_t length, std::string peer) {
  UniqueFd fd(::socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return std::unexpected(socket_error(errno));
  if (address->sa_family != AF_UNIX) {
    if (auto set = disable_nagle(fd.get()); !set) return std::unexpected(set.error());
  }
  int outcome = ::connect(fd.get(), address, length) == 0 ? 0 : errno;
  auto flow = create(backend, fd.release(), std::move(peer));
  if (!flow) return flow;
  // EINTR: the connect goes on in the background, as with EINPROGRESS.
  if (outcome == EINPROGRESS || outcome == EINTR) {
    (*flow)->connecting_ = true;
    // Nothing to read or write until the edge that says the connect is done.
    (*flow)->read_ready_ = (*flow)->write_ready_ = false;
  } else if (outcome != 0)
    (*flow)->error_ = connect_error(outcome);
  return flow;
}

Result<std::unique_ptr<SocketFlow>> SocketFlow::adopt(EpollLoopBackend& backend, int fd,
                                                      std::string peer) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    Error error = socket_error(errno);
    ::close(fd);
    return std::unexpected(error);
  }
  return create(backend, fd, std::move(peer));
}

Result<std::unique_ptr<SocketFlow>> SocketFlow::create(EpollLoopBackend& backend, int fd,
                                                       std::string peer) {
  std::unique_ptr<SocketFlow> flow(new SocketFlow(backend, fd, std::move(peer)));
  auto watched =
      backend.watch_edges(fd, [raw = flow.get()](IoEvents events) { raw->on_events(events); });
  if (!watched) {
    flow->fd_ = -1;  // someone else watches this descriptor: leave their watcher alone
    ::close(fd);
    return std::unexpected(watched.error());
  }
  return flow;
}

SocketFlow::~SocketFlow() { close(); }

Result<std::size_t> SocketFlow::read(MutableBytes buffer) {
  if (auto usable = check_usable(); !usable) return std::unexpected(usable.error());
  if (buffer.empty()) return fail(Errc::invalid_argument, "socket flow: read into an empty buffer");
  if (!read_ready_) return std::unexpected(socket_error(EAGAIN));  // no edge since it drained
  for (;;) {
    ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n >= 0) {
      // A short read emptied the receive queue: what arrives next is an edge.
      // Not after a hangup: the end of stream may sit behind these bytes, and
      // its edge has come already.
      if (n > 0 && static_cast<std::size_t>(n) < buffer.size() && !hangup_) read_ready_ = false;
      return static_cast<std::size_t>(n);
    }
    if (errno == EAGAIN) read_ready_ = false;
    if (errno != EINTR) return failure(errno);
  }
}

Result<std::size_t> SocketFlow::writev(std::span<const Bytes> buffers) {
  if (fd_ >= 0 && write_shut_) return fail(Errc::closed, "socket flow: write side shut down");
  if (auto usable = check_usable(); !usable) return std::unexpected(usable.error());
  std::array<iovec, kMaxIovecs> iovecs;
  std::size_t count = 0, offered = 0;
  for (Bytes buffer : buffers) {
    if (buffer.empty()) continue;
    if (count == iovecs.size()) break;
    iovecs[count++] = {const_cast<std::uint8_t*>(buffer.data()), buffer.size()};
    offered += buffer.size();
  }
  if (count == 0) return 0;
  if (!write_ready_) return std::unexpected(socket_error(EAGAIN));  // no edge since it filled
  msghdr message{};
  message.msg_iov = iovecs.data();
  message.msg_iovlen = count;
  for (;;) {
    // MSG_NOSIGNAL: a peer that went away is an EPIPE result, not a SIGPIPE.
    ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
    if (n >= 0) {
      // A short write filled the send buffer; the kernel then reports an edge
      // when room is made.
      if (static_cast<std::size_t>(n) < offered) write_ready_ = false;
      return static_cast<std::size_t>(n);
    }
    if (errno == EAGAIN) write_ready_ = false;
    if (errno != EINTR) return failure(errno);
  }
}

Result<void> SocketFlow::shutdown_write() {
  if (fd_ < 0) return fail(Errc::closed, "socket flow: closed");
  if (write_shut_) return {};
  if (error_) return std::unexpected(*error_);
  write_shut_ = true;
  if (connecting_) settle_connect();
  if (connecting_) {
    // shutdown() now would abort the handshake: wait for it to finish.
    update_interest();
    return {};
  }
  if (error_) return std::unexpected(*error_);
  return shut_write_side();
}

Result<void> SocketFlow::shut_write_side() {
  if (::shutdown(fd_, SHUT_WR) != 0) return failure(errno);
  return {};
}

void SocketFlow::close() {
  if (fd_ < 0) return;
  read_wakeup_ = nullptr;
  write_wakeup_ = nullptr;
  backend_.unwatch(fd_);
  ::close(fd_);
  fd_ = -1;
  connecting_ = false;
}

// Readiness known already has no edge to come: the backend calls on_events()
// from its next wait() instead (never from here, as paf/flow.h requires).
void SocketFlow::when_readable(Function<void()> wakeup) {
  if (fd_ < 0) return;
  read_wakeup_ = std::move(wakeup);
  update_interest();
  if (read_ready_ || error_) backend_.notify_soon(fd_);
}

void SocketFlow::when_writable(Function<void()> wakeup) {
  if (fd_ < 0) return;
  write_wakeup_ = std::move(wakeup);
  update_interest();
  if (write_ready_ || error_) backend_.notify_soon(fd_);
}

// Fails when the flow cannot be used now: closed, failed, or still connecting.
Result<void> SocketFlow::check_usable() {
  if (fd_ < 0) return fail(Errc::closed, "socket flow: closed");
  if (connecting_) settle_connect();
  if (error_) return std::unexpected(*error_);
  if (connecting_) {
    // Seen unconnected now: the edge that ends the connect is still to come.
    read_ready_ = write_ready_ = false;
    return fail(Errc::would_block, "socket flow: still connecting");
  }
  return {};
}

// Learns whether a non-blocking connect finished: SO_ERROR holds its failure,
// and getpeername() succeeds once it is up.
void SocketFlow::settle_connect() {
  int outcome = 0;
  socklen_t length = sizeof outcome;
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &outcome, &length) != 0) outcome = errno;
  if (outcome == 0) {
    sockaddr_storage peer;
    socklen_t peer_length = sizeof peer;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0)
      return;  // not yet
  }
  connecting_ = false;
  read_ready_ = write_ready_ = true;  // connected: try, and learn from the kernel
  if (outcome != 0)
    error_ = connect_error(outcome);
  else if (write_shut_)
    (void)shut_write_side();  // deferred by shutdown_write()
  update_interest();
}

// An edge (or, with no event set, a notification): keep the readiness it
// reports, then wake whoever waits on a side that is ready. A hangup or an
// error is news for a reader and, with an error, for a writer: the operation
// it retries now reports what happened.
void SocketFlow::on_events(IoEvents events) {
  if (events.readable || events.error) read_ready_ = true;
  if (events.hangup) read_ready_ = hangup_ = true;
  if (events.writable || events.error) write_ready_ = true;
  if (connecting_) settle_connect();
  Anchor<SocketFlow>::Ref alive = anchor_.ref();
  if (read_ready_ || error_) fire_once(read_wakeup_, [this] { update_interest(); });
  if (!alive || fd_ < 0) return;  // the wakeup destroyed or closed the flow
  if (write_ready_ || error_) fire_once(write_wakeup_, [this] { update_interest(); });
}

// Interest follows the pending wakeups (and a deferred shutdown): a flow no
// one waits on is out of the epoll set and cannot wake the loop.
void SocketFlow::update_interest() {
  if (fd_ < 0) return;
  bool writable = static_cast<bool>(write_wakeup_) || (connecting_ && write_shut_);
  auto armed = backend_.set_interest(fd_, static_cast<bool>(read_wakeup_), writable);
  // Without interest the wakeup can never come: make the next call say why.
  if (!armed && !error_) error_ = armed.error();
}

std::unexpected<Error> SocketFlow::failure(int errno_value) {
  Error error = socket_error(errno_value);
  if (ends_connection(error)) error_ = error;
  return std::unexpected(error);
}

}  // namespace paf::posix
