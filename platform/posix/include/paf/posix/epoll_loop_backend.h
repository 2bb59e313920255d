// The host's loop backend: epoll(7) over non-blocking file descriptors.
// Two ways to watch a descriptor:
//  - level-triggered (watch): the descriptor is in the epoll set only while
//    its owner sets interest, one epoll_ctl per change. Listeners and signal
//    descriptors, which change interest rarely, use it.
//  - edge-triggered (watch_edges): the descriptor joins the epoll set once and
//    its owner keeps the readiness each edge reports, so waiting for input or
//    room costs no system call. Host flows use it: a request/response costs
//    a recv and a send, no epoll_ctl.
#ifndef PAF_POSIX_EPOLL_LOOP_BACKEND_H
#define PAF_POSIX_EPOLL_LOOP_BACKEND_H

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

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
  // Descriptors with some interest set, or a notification due; those without
  // cannot wake the loop.
  bool has_io_sources() const override { return interested_count_ > 0 || !notifications_.empty(); }

  // Starts watching `fd` (owned by the caller, who unwatches it before closing
  // it) with no interest yet; `on_events` is called from wait().
  Result<void> watch(int fd, Function<void(IoEvents)> on_events);
  // Starts watching `fd` edge-triggered for input, output and hangup: it joins
  // the epoll set now, and `on_events` is called from wait() on every edge,
  // whatever the interest. The owner keeps the readiness: an edge is reported
  // once, and then again only when the descriptor changes (new bytes, room).
  Result<void> watch_edges(int fd, Function<void(IoEvents)> on_events);
  // Level-triggered watcher: the interest the epoll set holds for `fd`. With
  // none, the descriptor leaves the set, so that even a hangup does not wake
  // the loop. Edge-triggered watcher: only whether `fd` counts as an I/O
  // source (its owner waits on it); no system call.
  Result<void> set_interest(int fd, bool readable, bool writable);
  // Calls `fd`'s handler, with no event set, from the next wait(), which then
  // does not block: for an owner that learns it has news for a waiter without
  // an edge to come (readiness it kept). Ignored for a descriptor not watched.
  void notify_soon(int fd);
  void unwatch(int fd);

 private:
  struct Watcher {
    Function<void(IoEvents)> on_events;
    std::uint32_t generation;   // tells a stale epoll event from a reused fd
    // EPOLL* bits; 0: not in the epoll set (level-triggered), not waited on (edge-triggered)
    std::uint32_t interest = 0;
    bool edge_triggered = false;
  };
  struct Notification {
    int fd;
    std::uint32_t generation;
  };

  explicit EpollLoopBackend(int epoll_fd) : epoll_fd_(epoll_fd) {}
  Result<void> add_watcher(int fd, Function<void(IoEvents)> on_events, bool edge_triggered);
  void dispatch(int fd, std::uint32_t generation, IoEvents events);
  void deliver_notifications();

  int epoll_fd_;
  std::unordered_map<int, Watcher> watchers_;
  std::vector<Notification> notifications_, delivering_;
  std::uint32_t next_generation_ = 1;
  std::size_t interested_count_ = 0;
};

}  // namespace paf::posix

#endif
