// paf::Runtime — the one loop that drives any sans-I/O Connection (HTTP/1.x or
// HTTP/2, server or client) over any Flow (TCP, TLS, Unix socket, in-memory),
// as paf-le-chien's Paf.run drives httpaf and h2. It moves bytes between the
// two, keeps the connection's deadline armed on the loop, and tells its owner
// once when the exchange is over.
#ifndef PAF_RUNTIME_H
#define PAF_RUNTIME_H

#include <cstddef>
#include <cstdint>
#include <memory>

#include "paf/connection.h"
#include "paf/detail/anchor.h"
#include "paf/flow.h"
#include "paf/loop.h"

namespace paf {

struct RuntimeOptions {
  // Bytes read from the flow at once; unconsumed bytes stay in the same buffer.
  std::size_t read_buffer_size = 16 * 1024;
  // Once both sides are done, how long the flow may take to pass on what it
  // still holds (Flow::write_pending: TLS records) before it is closed anyway.
  std::uint64_t linger_ns = 10'000'000'000;
  // The connection's new output goes out from a callback posted on the loop,
  // once for all the output made in a turn, instead of at once: a client
  // whose application makes requests one after another sends them in one
  // write (one system call, not one each). Servers write at once: their
  // output comes while they read, and the pump writes it all after the read.
  bool coalesce_output = false;
};

// How a run ended.
enum class RunOutcome {
  closed,    // both sides of the connection closed; the flow is closed
  upgraded,  // the connection asked to hand the flow over (HTTP Upgrade); the
             // flow is left open and leftover() holds bytes read past the 101
};

class Runtime {
 public:
  // Drives `connection` over `flow` on `loop`. All three must outlive the
  // Runtime. Call start() to begin.
  Runtime(Loop& loop, Connection& connection, Flow& flow, RuntimeOptions options = {});
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
  // Cancels the deadline timer and drops the flow's wakeups (closing the flow
  // unless the run ended in an upgrade).
  ~Runtime();

  // Bytes read from the flow before this run (a preface a service peeked
  // at): the connection reads them before anything from the flow. Call before
  // start(); at most options.read_buffer_size bytes.
  void give_first_input(Bytes bytes);

  // Starts moving bytes. `on_done` is called once, from the loop (never from
  // within start()), when the run is over; the owner may destroy the Runtime,
  // the connection and the flow from it.
  void start(Function<void(RunOutcome)> on_done);

  // Graceful shutdown: the connection finishes what is in flight, then closes.
  void shutdown();

  // The bytes held for reading: options.read_buffer_size while a read is in
  // progress or unconsumed bytes wait, else 0 (an idle connection holds none).
  std::size_t read_buffer_bytes() const { return read_buffer_ ? options_.read_buffer_size : 0; }

  // After an upgrade: bytes read from the flow that the connection did not consume.
  Bytes leftover() const { return {read_buffer_.get() + read_start_, read_end_ - read_start_}; }

 private:
  void pump_read();
  void pump_write();
  void read_once(bool& keep_going);
  // The read buffer, taken if it was given back.
  std::uint8_t* take_read_buffer();
  void feed_connection();
  void arm_deadline();
  void on_deadline_timer();
  void finish_if_done();
  void linger();
  Function<void()> wakeup(void (Runtime::*pump)());
  // The connection's "I have output" wakeup (RuntimeOptions::coalesce_output).
  Function<void()> output_wakeup();

  Loop& loop_;
  Connection& connection_;
  Flow& flow_;
  RuntimeOptions options_;
  Function<void(RunOutcome)> on_done_;

  // Taken for a read, given back when the flow has nothing more and no
  // unread bytes remain in it.
  std::unique_ptr<std::uint8_t[]> read_buffer_;
  std::size_t read_start_ = 0;  // unconsumed bytes are [read_start_, read_end_)
  std::size_t read_end_ = 0;
  bool first_input_unread_ = false;  // give_first_input's bytes, not yet offered
  // The connection yielded (a paused body): once it wakes, what it left (bytes
  // here, or events its parser holds) is offered again before the flow is read.
  bool offer_after_yield_ = false;
  bool end_of_input_ = false;        // the flow said end of stream
  bool eof_delivered_ = false;       // and the connection was told

  // Re-entrancy: a wakeup may fire while a pump runs (a handler answering from
  // inside read()); the pump then goes round once more instead of recursing.
  bool in_read_pump_ = false, read_again_ = false;
  bool in_write_pump_ = false, write_again_ = false, write_posted_ = false;

  bool read_closed_ = false, write_closed_ = false, done_ = false;
  bool upgraded_ = false, upgrade_flushed_ = false;
  std::uint64_t armed_deadline_ = kNoDeadline;
  TimerId deadline_timer_;
  // While the flow passes on what it holds before the close (linger_ns).
  TimerId linger_timer_;
  bool lingering_ = false, linger_expired_ = false;
  // What wakeups and posted callbacks hold: they may outlive the Runtime.
  Anchor<Runtime> anchor_{this};
};

}  // namespace paf

#endif
