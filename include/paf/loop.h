// The event loop: one thread, timers, posted callbacks, and I/O readiness from
// a backend (epoll on a host, paf_yield + lwIP input on bare metal). It knows
// no OS: everything it needs from the platform goes through LoopBackend.
//
// Times are monotonic nanoseconds, the clock of paf_clock_monotonic(). A
// deadline of UINT64_MAX (paf::kNoDeadline of paf/connection.h) is never reached.
#ifndef PAF_LOOP_H
#define PAF_LOOP_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "paf/function.h"
#include "paf/result.h"

namespace paf {

constexpr std::uint64_t milliseconds(std::uint64_t n) { return n * 1'000'000; }
constexpr std::uint64_t seconds(std::uint64_t n) { return n * 1'000'000'000; }

// What the loop asks of the platform: the time, and a way to wait for I/O.
class LoopBackend {
 public:
  virtual ~LoopBackend() = default;

  // Monotonic time, ns.
  virtual std::uint64_t now_ns() = 0;
  // Waits until `deadline_ns` or until some watched I/O source is ready (a
  // deadline already passed only polls), calls the handlers of what is ready,
  // and returns. Returning early is allowed. Fails only when the platform does.
  virtual Result<void> wait(std::uint64_t deadline_ns) = 0;
  // True while some I/O source could wake a wait(); the loop is idle without.
  virtual bool has_io_sources() const = 0;
};

// A backend with no I/O whose clock moves only when waited on: wait() jumps to
// the deadline at once. Makes timer tests, and tests of every layer run over
// MemoryFlow, deterministic and instant.
class SimulatedTimeBackend final : public LoopBackend {
 public:
  explicit SimulatedTimeBackend(std::uint64_t start_ns = 0) : now_(start_ns) {}

  std::uint64_t now_ns() override { return now_; }
  Result<void> wait(std::uint64_t deadline_ns) override;
  bool has_io_sources() const override { return false; }

  // Moves the clock forward by `delta_ns` (timers fire on the loop's next turn).
  void advance(std::uint64_t delta_ns) { now_ += delta_ns; }

 private:
  std::uint64_t now_;
};

// Names a timer for cancel_timer(); the default value names none.
struct TimerId {
  std::uint64_t value = 0;
  friend bool operator==(TimerId, TimerId) = default;
};

// Why run() returned.
enum class LoopExit {
  stopped,           // stop() was called
  no_more_work,      // no posted callback, no timer, no I/O source left
  deadline_reached,  // run_until()'s deadline passed
};

class Loop {
 public:
  explicit Loop(LoopBackend& backend) : backend_(backend) {}
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  ~Loop();  // drops pending callbacks and timers without calling them

  LoopBackend& backend() { return backend_; }
  std::uint64_t now_ns() { return backend_.now_ns(); }

  // Calls `callback` on a later turn of the loop, never from within post().
  // Callbacks run in the order posted.
  void post(Function<void()> callback);

  // Calls `callback` once, on the first turn at or after `deadline_ns`. Timers
  // with equal deadlines fire in the order added; a timer never fires before
  // its deadline, nor on the turn it was added.
  TimerId add_timer_at(std::uint64_t deadline_ns, Function<void()> callback);
  TimerId add_timer_after(std::uint64_t delay_ns, Function<void()> callback);
  // Forgets a timer that has not fired; returns whether there was one. The
  // callback is destroyed without being called.
  bool cancel_timer(TimerId timer);

  // Runs until stop(), or until there is no more work (nothing posted, no
  // timer, no I/O source), or — run_until() only — until `deadline_ns` passes.
  // Fails if the backend fails.
  Result<LoopExit> run() { return run_until(UINT64_MAX); }
  Result<LoopExit> run_until(std::uint64_t deadline_ns);
  // Makes run() return once the callback now running returns (or at once, if
  // called while the loop is not running: the next run() returns `stopped`).
  void stop() { stop_requested_ = true; }

  bool has_work() const;
  std::size_t timer_count() const { return active_timers_; }

 private:
  struct TimerSlot {
    Function<void()> callback;
    std::uint32_t generation = 1;  // bumped whenever the slot is freed
    bool active = false;
  };
  struct TimerEntry {  // in timer_heap_; stale once its slot's generation moved on
    std::uint64_t deadline;
    std::uint64_t sequence;
    std::uint32_t slot;
    std::uint32_t generation;
  };

  void run_posted();
  void run_due_timers();
  void free_timer_slot(std::uint32_t slot);
  void drop_stale_timer_entries();
  std::uint64_t next_timer_deadline();
  bool is_stale(const TimerEntry& entry) const;

  LoopBackend& backend_;
  std::vector<Function<void()>> posted_;
  std::vector<TimerEntry> timer_heap_;  // min-heap on (deadline, sequence)
  std::vector<TimerSlot> timer_slots_;
  std::vector<std::uint32_t> free_timer_slots_;
  std::size_t active_timers_ = 0;
  std::uint64_t next_timer_sequence_ = 0;
  bool stop_requested_ = false;
};

}  // namespace paf

#endif
