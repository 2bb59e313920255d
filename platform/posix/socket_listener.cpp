#include "paf/posix/socket_listener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "paf/posix/socket_flow.h"
#include "socket_address.h"
#include "socket_error.h"
#include "socket_options.h"
#include "unique_fd.h"

namespace paf::posix {
namespace {

Result<UniqueFd> bind_and_listen(const SocketAddress& address, int backlog) {
  UniqueFd fd(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return std::unexpected(socket_error(errno));
  if (address.family() != AF_UNIX) {
    if (auto set = set_socket_option(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1); !set)
      return std::unexpected(set.error());
  }
  if (address.family() == AF_INET6) {
    if (auto set = set_socket_option(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 1); !set)
      return std::unexpected(set.error());
  }
  if (::bind(fd.get(), address.get(), address.length) != 0 || ::listen(fd.get(), backlog) != 0)
    return std::unexpected(socket_error(errno));
  return fd;
}

Result<SocketAddress> bound_address(int fd) {
  SocketAddress address;
  address.length = sizeof address.storage;
  if (::getsockname(fd, address.get(), &address.length) != 0)
    return std::unexpected(socket_error(errno));
  return address;
}

// Makes room for a Unix listener at `path`: removes a socket file no process
// listens on (left by one that crashed), refuses a live one or another file.
Result<void> remove_stale_socket_file(const std::string& path, const SocketAddress& address) {
  struct stat status;
  if (::lstat(path.c_str(), &status) != 0)
    return errno == ENOENT ? Result<void>{} : std::unexpected(socket_error(errno));
  if (!S_ISSOCK(status.st_mode))
    return fail(Errc::invalid_argument, "unix listener: the path exists and is not a socket",
                EEXIST);
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!probe.valid()) return std::unexpected(socket_error(errno));
  if (::connect(probe.get(), address.get(), address.length) == 0 || errno == EAGAIN)
    return fail(Errc::io_error, "unix listener: another listener is live on this path", EADDRINUSE);
  if (errno != ECONNREFUSED) return std::unexpected(socket_error(errno));
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return std::unexpected(socket_error(errno));
  return {};
}

}  // namespace

Result<std::unique_ptr<TcpListener>> TcpListener::listen(EpollLoopBackend& backend,
                                                         std::string_view host, std::uint16_t port,
                                                         int backlog) {
  auto address = ip_address(host, port);
  if (!address) return std::unexpected(address.error());
  auto fd = bind_and_listen(*address, backlog);
  if (!fd) return std::unexpected(fd.error());
  auto bound = bound_address(fd->get());
  if (!bound) return std::unexpected(bound.error());
  std::unique_ptr<TcpListener> listener(
      new TcpListener(backend, {fd->release(), describe(*bound), port_of(*bound), {}}));
  if (auto started = listener->start(); !started) return std::unexpected(started.error());
  return listener;
}

Result<std::unique_ptr<UnixListener>> UnixListener::listen(EpollLoopBackend& backend,
                                                           std::string_view path, int backlog) {
  auto address = unix_address(path);
  if (!address) return std::unexpected(address.error());
  std::string socket_path(path);
  if (auto removed = remove_stale_socket_file(socket_path, *address); !removed)
    return std::unexpected(removed.error());
  auto fd = bind_and_listen(*address, backlog);
  if (!fd) return std::unexpected(fd.error());
  struct stat status {};
  if (::stat(socket_path.c_str(), &status) != 0) return std::unexpected(socket_error(errno));
  std::unique_ptr<UnixListener> listener(
      new UnixListener(backend, {fd->release(), describe(*address), std::nullopt, socket_path,
                                 status.st_dev, status.st_ino}));
  if (auto started = listener->start(); !started) return std::unexpected(started.error());
  return listener;
}

SocketListener::SocketListener(EpollLoopBackend& backend, Bound bound)
    : backend_(backend),
      fd_(bound.fd),
      local_address_(std::move(bound.local_address)),
      port_(bound.port),
      socket_path_(std::move(bound.socket_path)),
      socket_file_device_(bound.socket_file_device),
      socket_file_inode_(bound.socket_file_inode) {}

Result<void> SocketListener::start() {
  auto watched = backend_.watch(fd_, [this](IoEvents events) { on_events(events); });
  if (!watched) close();
  return watched;
}

SocketListener::~SocketListener() { close(); }

Result<std::unique_ptr<Flow>> SocketListener::accept() {
  if (fd_ < 0) return fail(Errc::closed, "listener: closed");
  if (error_) return std::unexpected(*error_);
  SocketAddress peer;
  int fd;
  for (;;) {
    peer.length = sizeof peer.storage;
    fd = ::accept4(fd_, peer.get(), &peer.length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) break;
    // ECONNABORTED: that connection is gone before we took it; take the next.
    if (errno != EINTR && errno != ECONNABORTED) return std::unexpected(socket_error(errno));
  }
  // Only latency is lost if this fails: the flow works without it.
  if (peer.family() != AF_UNIX) (void)disable_nagle(fd);
  // Unix clients are usually unnamed: name the socket they came through.
  auto flow = SocketFlow::adopt(backend_, fd, describe(peer, socket_path_));
  if (!flow) return std::unexpected(flow.error());
  return std::unique_ptr<Flow>(std::move(*flow));
}

void SocketListener::when_acceptable(Function<void()> wakeup) {
  if (fd_ < 0) return;
  wakeup_ = std::move(wakeup);
  update_interest();
}

void SocketListener::close() {
  if (fd_ < 0) return;
  wakeup_ = nullptr;
  backend_.unwatch(fd_);
  ::close(fd_);
  fd_ = -1;
  remove_socket_file();
}

// Removes the Unix socket file unless another listener has replaced it since.
void SocketListener::remove_socket_file() {
  struct stat status;
  if (socket_path_.empty() || ::lstat(socket_path_.c_str(), &status) != 0) return;
  if (status.st_dev == socket_file_device_ && status.st_ino == socket_file_inode_)
    ::unlink(socket_path_.c_str());
}

void SocketListener::on_events(IoEvents) {
  fire_once(wakeup_, [this] { update_interest(); });
}

void SocketListener::update_interest() {
  if (fd_ < 0) return;
  auto armed = backend_.set_interest(fd_, static_cast<bool>(wakeup_), false);
  // Without interest the wakeup can never come: make the next accept() say why.
  if (!armed && !error_) error_ = armed.error();
}

}  // namespace paf::posix
