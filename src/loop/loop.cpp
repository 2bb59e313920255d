#include "paf/loop.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace paf {
namespace {

constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

// std::*_heap build max-heaps; "later" as the order makes timer_heap_.front()
// the earliest (deadline, sequence).
struct FiresLater {
  template <typename Entry>
  bool operator()(const Entry& a, const Entry& b) const {
    return a.deadline != b.deadline ? a.deadline > b.deadline : a.sequence > b.sequence;
  }
};

}  // namespace

Result<void> SimulatedTimeBackend::wait(std::uint64_t deadline_ns) {
  if (deadline_ns == kNever)
    return fail(Errc::invalid_argument, "simulated time: waiting forever with no I/O to wake it");
  now_ = std::max(now_, deadline_ns);
  return {};
}

Loop::~Loop() = default;

void Loop::post(Function<void()> callback) { posted_.push_back(std::move(callback)); }

TimerId Loop::add_timer_at(std::uint64_t deadline_ns, Function<void()> callback) {
  std::uint32_t slot;
  if (free_timer_slots_.empty()) {
    slot = static_cast<std::uint32_t>(timer_slots_.size());
    timer_slots_.emplace_back();
  } else {
    slot = free_timer_slots_.back();
    free_timer_slots_.pop_back();
  }
  TimerSlot& timer = timer_slots_[slot];
  timer.callback = std::move(callback);
  timer.active = true;
  ++active_timers_;
  timer_heap_.push_back({deadline_ns, next_timer_sequence_++, slot, timer.generation});
  std::push_heap(timer_heap_.begin(), timer_heap_.end(), FiresLater{});
  return TimerId{(std::uint64_t{timer.generation} << 32) | slot};
}

TimerId Loop::add_timer_after(std::uint64_t delay_ns, Function<void()> callback) {
  std::uint64_t now = now_ns();
  std::uint64_t deadline = delay_ns > kNever - now ? kNever : now + delay_ns;
  return add_timer_at(deadline, std::move(callback));
}

bool Loop::cancel_timer(TimerId timer) {
  auto slot = static_cast<std::uint32_t>(timer.value);
  auto generation = static_cast<std::uint32_t>(timer.value >> 32);
  if (slot >= timer_slots_.size() || !timer_slots_[slot].active ||
      timer_slots_[slot].generation != generation)
    return false;
  free_timer_slot(slot);
  drop_stale_timer_entries();
  return true;
}

void Loop::free_timer_slot(std::uint32_t slot) {
  TimerSlot& timer = timer_slots_[slot];
  timer.callback = nullptr;
  timer.active = false;
  ++timer.generation;
  if (timer.generation == 0) timer.generation = 1;  // 0 would let TimerId{} name a timer
  free_timer_slots_.push_back(slot);
  --active_timers_;
}

bool Loop::is_stale(const TimerEntry& entry) const {
  return timer_slots_[entry.slot].generation != entry.generation;
}

// Cancelled timers leave their heap entries behind (lazy deletion); rebuild
// the heap when they outnumber the live ones so it stays O(live timers).
void Loop::drop_stale_timer_entries() {
  if (timer_heap_.size() <= 2 * active_timers_ + 64) return;
  std::erase_if(timer_heap_, [this](const TimerEntry& entry) { return is_stale(entry); });
  std::make_heap(timer_heap_.begin(), timer_heap_.end(), FiresLater{});
}

std::uint64_t Loop::next_timer_deadline() {
  while (!timer_heap_.empty() && is_stale(timer_heap_.front())) {
    std::pop_heap(timer_heap_.begin(), timer_heap_.end(), FiresLater{});
    timer_heap_.pop_back();
  }
  return timer_heap_.empty() ? kNever : timer_heap_.front().deadline;
}

// Runs the callbacks posted before this turn; those they post wait for the
// next turn, so a callback re-posting itself cannot starve timers and I/O.
void Loop::run_posted() {
  std::size_t batch_end = posted_.size();
  std::size_t next = 0;
  while (next < batch_end && !stop_requested_) {
    Function<void()> callback = std::move(posted_[next++]);  // posted_ may grow while it runs
    callback();
  }
  posted_.erase(posted_.begin(), posted_.begin() + static_cast<std::ptrdiff_t>(next));
}

// Fires the timers due now and added before this turn (a timer that re-adds
// itself with no delay fires once per turn, not forever).
void Loop::run_due_timers() {
  std::uint64_t now = now_ns();
  std::uint64_t sequence_limit = next_timer_sequence_;
  while (!stop_requested_ && next_timer_deadline() <= now) {
    const TimerEntry& due = timer_heap_.front();
    if (due.sequence >= sequence_limit) break;
    std::uint32_t slot = due.slot;
    std::pop_heap(timer_heap_.begin(), timer_heap_.end(), FiresLater{});
    timer_heap_.pop_back();
    Function<void()> callback = std::move(timer_slots_[slot].callback);
    free_timer_slot(slot);
    callback();
  }
}

bool Loop::has_work() const {
  return !posted_.empty() || active_timers_ > 0 || backend_.has_io_sources();
}

Result<LoopExit> Loop::run_until(std::uint64_t deadline_ns) {
  for (;;) {
    run_posted();
    run_due_timers();
    if (stop_requested_) {
      stop_requested_ = false;
      return LoopExit::stopped;
    }
    if (!has_work()) return LoopExit::no_more_work;
    std::uint64_t now = now_ns();
    if (now >= deadline_ns) return LoopExit::deadline_reached;
    std::uint64_t wait_until = posted_.empty() ? std::min(next_timer_deadline(), deadline_ns) : now;
    if (auto waited = backend_.wait(wait_until); !waited) return std::unexpected(waited.error());
  }
}

}  // namespace paf
