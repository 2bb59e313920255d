// Host listeners: a listening TCP socket (IPv4 or IPv6) or Unix domain socket
// as a paf::Listener on the epoll loop backend. Accepted connections are
// SocketFlows. As with the flows, interest is armed only while a wakeup is
// pending, and the wakeup comes from the backend's wait().
#ifndef PAF_POSIX_SOCKET_LISTENER_H
#define PAF_POSIX_SOCKET_LISTENER_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "paf/detail/anchor.h"
#include "paf/listener.h"
#include "paf/posix/epoll_loop_backend.h"

namespace paf::posix {

constexpr int kDefaultBacklog = 128;

// What TcpListener and UnixListener share: everything but how they start.
class SocketListener : public Listener {
 public:
  SocketListener(const SocketListener&) = delete;
  SocketListener& operator=(const SocketListener&) = delete;
  ~SocketListener() override;

  Result<std::unique_ptr<Flow>> accept() override;
  void when_acceptable(Function<void()> wakeup) override;
  // A Unix listener also removes its socket file.
  void close() override;
  std::string_view local_address() const override { return local_address_; }
  std::optional<std::uint16_t> port() const override { return port_; }

 protected:
  struct Bound {  // a listening socket and what describes it
    int fd;
    std::string local_address;
    std::optional<std::uint16_t> port;
    std::string socket_path;  // Unix: the file to remove on close
    std::uint64_t socket_file_device = 0, socket_file_inode = 0;  // so that only ours is removed
  };
  // Takes ownership of bound.fd. start() then watches it.
  SocketListener(EpollLoopBackend& backend, Bound bound);
  Result<void> start();

 private:
  void on_events(IoEvents events);
  void update_interest();
  void remove_socket_file();

  EpollLoopBackend& backend_;
  int fd_;
  std::string local_address_;
  std::optional<std::uint16_t> port_;
  std::string socket_path_;
  std::uint64_t socket_file_device_, socket_file_inode_;
  Function<void()> wakeup_;
  std::optional<Error> error_;  // arming the wakeup failed: accept() reports it
};

class TcpListener final : public SocketListener {
 public:
  // Listens on a numeric address ("0.0.0.0", "::", "127.0.0.1", "::1") and
  // `port` (0: one the system picks; see port()). SO_REUSEADDR is set, so a
  // restarted server gets its port back at once; an IPv6 listener is IPv6
  // only, so "::" and "0.0.0.0" can listen on one port side by side.
  static Result<std::unique_ptr<TcpListener>> listen(EpollLoopBackend& backend,
                                                     std::string_view host, std::uint16_t port,
                                                     int backlog = kDefaultBacklog);

 private:
  using SocketListener::SocketListener;
};

class UnixListener final : public SocketListener {
 public:
  // Listens on a Unix domain stream socket at `path`. A stale socket file
  // there (one no process listens on) is removed first; a live one, or a file
  // that is not a socket, is an error. close() removes the socket file.
  static Result<std::unique_ptr<UnixListener>> listen(EpollLoopBackend& backend,
                                                      std::string_view path,
                                                      int backlog = kDefaultBacklog);

 private:
  using SocketListener::SocketListener;
};

}  // namespace paf::posix

#endif
