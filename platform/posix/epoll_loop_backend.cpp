#include "paf/posix/epoll_loop_backend.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <utility>

#include "paf/platform.h"

namespace paf::posix {
namespace {

constexpr int kEventsPerWait = 64;

std::uint64_t event_data(int fd, std::uint32_t generation) {
  return (std::uint64_t{generation} << 32) | static_cast<std::uint32_t>(fd);
}

// epoll_wait's timeout in ms, rounded up so a timer never fires early.
int timeout_ms(std::uint64_t now, std::uint64_t deadline) {
  if (deadline <= now) return 0;
  if (deadline == UINT64_MAX) return -1;
  std::uint64_t ms = (deadline - now + 999'999) / 1'000'000;
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

}  // namespace

Result<std::unique_ptr<EpollLoopBackend>> EpollLoopBackend::create() {
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) return fail(Errc::io_error, "epoll_create1 failed", errno);
  return std::unique_ptr<EpollLoopBackend>(new EpollLoopBackend(epoll_fd));
}

EpollLoopBackend::~EpollLoopBackend() { ::close(epoll_fd_); }

std::uint64_t EpollLoopBackend::now_ns() { return paf_clock_monotonic(); }

Result<void> EpollLoopBackend::watch(int fd, Function<void(IoEvents)> on_events) {
  return add_watcher(fd, std::move(on_events), false);
}

Result<void> EpollLoopBackend::watch_edges(int fd, Function<void(IoEvents)> on_events) {
  return add_watcher(fd, std::move(on_events), true);
}

Result<void> EpollLoopBackend::add_watcher(int fd, Function<void(IoEvents)> on_events,
                                           bool edge_triggered) {
  if (fd < 0) return fail(Errc::invalid_argument, "watching a negative file descriptor");
  if (watchers_.contains(fd)) return fail(Errc::invalid_argument, "file descriptor already watched");
  std::uint32_t generation = next_generation_++;
  if (edge_triggered) {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = event_data(fd, generation);
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0)
      return fail(Errc::io_error, "epoll_ctl failed", errno);
  }
  watchers_.emplace(fd, Watcher{std::move(on_events), generation, 0, edge_triggered});
  return {};
}

Result<void> EpollLoopBackend::set_interest(int fd, bool readable, bool writable) {
  auto it = watchers_.find(fd);
  if (it == watchers_.end()) return fail(Errc::invalid_argument, "file descriptor not watched");
  Watcher& watcher = it->second;
  std::uint32_t interest = (readable ? EPOLLIN | EPOLLRDHUP : 0u) | (writable ? EPOLLOUT : 0u);
  if (interest == watcher.interest) return {};
  if (watcher.edge_triggered) {  // always in the epoll set: interest is bookkeeping
    if (watcher.interest == 0) ++interested_count_;
    if (interest == 0) --interested_count_;
    watcher.interest = interest;
    return {};
  }
  epoll_event event{};
  event.events = interest;
  event.data.u64 = event_data(fd, watcher.generation);
  int op = interest == 0 ? EPOLL_CTL_DEL : watcher.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (epoll_ctl(epoll_fd_, op, fd, &event) != 0) return fail(Errc::io_error, "epoll_ctl failed", errno);
  if (watcher.interest == 0) ++interested_count_;
  if (interest == 0) --interested_count_;
  watcher.interest = interest;
  return {};
}

void EpollLoopBackend::notify_soon(int fd) {
  auto it = watchers_.find(fd);
  if (it == watchers_.end()) return;
  notifications_.push_back({fd, it->second.generation});
}

void EpollLoopBackend::unwatch(int fd) {
  auto it = watchers_.find(fd);
  if (it == watchers_.end()) return;
  if (it->second.interest != 0 || it->second.edge_triggered)
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  if (it->second.interest != 0) --interested_count_;
  watchers_.erase(it);
}

Result<void> EpollLoopBackend::wait(std::uint64_t deadline_ns) {
  epoll_event events[kEventsPerWait];
  // A notification due is news already: look for more without blocking.
  int timeout = notifications_.empty() ? timeout_ms(now_ns(), deadline_ns) : 0;
  int count = epoll_wait(epoll_fd_, events, kEventsPerWait, timeout);
  if (count < 0) {
    if (errno != EINTR) return fail(Errc::io_error, "epoll_wait failed", errno);
    count = 0;
  }
  for (int i = 0; i < count; ++i) {
    int fd = static_cast<int>(static_cast<std::uint32_t>(events[i].data.u64));
    auto generation = static_cast<std::uint32_t>(events[i].data.u64 >> 32);
    std::uint32_t bits = events[i].events;
    dispatch(fd, generation,
             IoEvents{
                 .readable = (bits & EPOLLIN) != 0,
                 .writable = (bits & EPOLLOUT) != 0,
                 .hangup = (bits & (EPOLLHUP | EPOLLRDHUP)) != 0,
                 .error = (bits & EPOLLERR) != 0,
             });
  }
  deliver_notifications();
  return {};
}

// Those asked for while delivering wait for the next wait(): a handler that
// notifies itself again cannot keep this one from returning.
void EpollLoopBackend::deliver_notifications() {
  if (notifications_.empty()) return;
  delivering_.swap(notifications_);
  for (const Notification& notification : delivering_)
    dispatch(notification.fd, notification.generation, IoEvents{});
  delivering_.clear();
}

void EpollLoopBackend::dispatch(int fd, std::uint32_t generation, IoEvents events) {
  // An earlier handler of this batch may have unwatched (or re-watched) fd.
  auto it = watchers_.find(fd);
  if (it == watchers_.end() || it->second.generation != generation) return;
  // The handler may unwatch its own fd: keep it alive outside the map.
  Function<void(IoEvents)> on_events = std::move(it->second.on_events);
  it->second.on_events = nullptr;
  on_events(events);
  it = watchers_.find(fd);
  if (it != watchers_.end() && it->second.generation == generation)
    it->second.on_events = std::move(on_events);
}

}  // namespace paf::posix
