// The host's loop backend: epoll(7) over non-blocking file descriptors.
// Host flows (TCP, Unix sockets) and listeners watch their descriptor here and
// set the interest they have while a wakeup is pending.
#ifndef PAF_POSIX_EPOLL_LOOP_BACKEND_H
#define PAF_POSIX_EPOLL_LOOP_BACKEND_H

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "paf/function.h"
#include "paf/loop.h"
#include "paf/result.h"

namespace paf::posix {

// What epoll reported for a descriptor.
struct IoEvents {
  bool readable = false;
  bool writable = false;
  bool hangup = false;  // EPOLLHUP / EPOLLRDHUP: the peer is gone or shut its side
  bool error = false;   // EPOLLERR: read or write to learn which error
};

class EpollLoopBackend final : public LoopBackend {
 public:
  static Result<std::unique_ptr<EpollLoopBackend>> create();
  EpollLoopBackend(const EpollLoopBackend&) = delete;
  EpollLoopBackend& operator=(const EpollLoopBackend&) = delete;
  ~EpollLoopBackend() override;

  std::uint64_t now_ns() override;
  Result<void> wait(std::uint64_t deadline_ns) override;
  // Descriptors with some interest set; those without cannot wake the loop.
  bool has_io_sources() const override { return interested_count_ > 0; }

  // Starts watching `fd` (owned by the caller, who unwatches it before closing
  // it) with no interest yet; `on_events` is called from wait().
  Result<void> watch(int fd, Function<void(IoEvents)> on_events);
  // Level-triggered interest. With none, the descriptor leaves the epoll set,
  // so that even a hangup does not wake the loop.
  Result<void> set_interest(int fd, bool readable, bool writable);
  void unwatch(int fd);

 private:
  struct Watcher {
    Function<void(IoEvents)> on_events;
    std::uint32_t generation;   // tells a stale epoll event from a reused fd
    std::uint32_t interest = 0; // EPOLL* bits; 0: not in the epoll set
  };

  explicit EpollLoopBackend(int epoll_fd) : epoll_fd_(epoll_fd) {}

  int epoll_fd_;
  std::unordered_map<int, Watcher> watchers_;
  std::uint32_t next_generation_ = 1;
  std::size_t interested_count_ = 0;
};

}  // namespace paf::posix

#endif
