// A runtime for tests: drives a paf::Connection with no network. Bytes given
// to feed() go in as the connection asks for them; what it writes collects in
// output(). Time is a number the test advances.
#ifndef PAF_TESTS_H1_DRIVER_H
#define PAF_TESTS_H1_DRIVER_H

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <algorithm>

#include "paf/connection.h"
#include "paf/h1.h"
#include "support/text_bytes.h"

namespace paf::testing {

inline std::string as_string(Bytes bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

class Driver {
 public:
  explicit Driver(Connection* connection = nullptr) : connection_(connection) {}
  void attach(Connection* connection) { connection_ = connection; }

  // A clock for the connection: the driver's simulated time.
  Clock clock() {
    return [this] { return now_; };
  }
  std::uint64_t now() const { return now_; }
  // Moves time on, fires the connection's deadline if due, and pumps.
  void advance(std::uint64_t ns) {
    now_ += ns;
    if (connection_->deadline() <= now_) connection_->on_deadline(now_);
    pump();
  }

  void feed(std::string_view bytes) {
    input_.append(bytes);
    pump();
  }
  void feed_eof() {
    eof_ = true;
    pump();
  }

  // Writes go out at most `limit` bytes at a time (partial writes); with
  // `blocked`, none go out (a client that does not read).
  void set_write_limit(std::size_t limit) { write_limit_ = limit; }
  void set_writes_blocked(bool blocked) {
    writes_blocked_ = blocked;
    pump();
  }
  // The peer resets the connection.
  void fail_writes() {
    connection_->report_write_result(WriteResult::closed_flow());
    pump();
  }

  // Runs the connection until it makes no more progress.
  void pump() {
    for (int turn = 0; turn < 1'000'000; ++turn) {
      bool progress = pump_read();
      progress = pump_write() || progress;
      // A wakeup means the connection changed its mind: ask it again.
      progress = std::exchange(woken_, false) || progress;
      if (!progress) return;
    }
  }

  // Output written since the last take_output().
  std::string take_output() { return std::exchange(output_, {}); }
  const std::string& output() const { return output_; }
  const std::string& unread_input() const { return input_; }
  bool read_closed() const { return last_read_ == ReadOperation::close; }
  bool upgraded() const { return last_read_ == ReadOperation::upgrade; }
  bool write_closed() const { return write_closed_; }
  // How many times the connection woke its writer (it should only when it has news).
  std::size_t writer_wakeups() const { return writer_wakeups_; }
  // Pending bytes handed to the connection by the last `write` operation.
  std::size_t offered() const { return offered_; }

 private:
  bool pump_read() {
    last_read_ = connection_->next_read_operation();
    if (last_read_ == ReadOperation::yield) {
      offer_after_yield_ = true;
      connection_->yield_reader([this] { woken_ = true; });
    }
    if (last_read_ != ReadOperation::read) return false;
    // As paf::Runtime does: once woken from a yield, what is left (maybe
    // nothing) is offered again before waiting for more input.
    if (std::exchange(offer_after_yield_, false) && input_.empty() && !eof_) {
      connection_->read(bytes_of(input_));
      return false;
    }
    if (input_.empty() && !eof_) return false;
    if (eof_ && !eof_given_) {
      std::size_t n = connection_->read_eof(bytes_of(input_));
      input_.erase(0, n);
      eof_given_ = input_.empty();
      return n > 0 || eof_given_;
    }
    std::size_t n = connection_->read(bytes_of(input_));
    input_.erase(0, n);
    return n > 0;
  }

  bool offer_after_yield_ = false;

  bool pump_write() {
    if (write_closed_) return false;
    WriteOperation op = connection_->next_write_operation();
    if (op.kind == WriteOperation::Kind::close) {
      write_closed_ = true;
      return true;
    }
    if (op.kind == WriteOperation::Kind::yield)
      connection_->yield_writer([this] {
        ++writer_wakeups_;
        woken_ = true;
      });
    if (op.kind != WriteOperation::Kind::write) return false;
    offered_ = 0;
    for (Bytes iovec : op.iovecs) offered_ += iovec.size();
    if (writes_blocked_) return false;
    std::size_t budget = write_limit_, written = 0;
    for (Bytes iovec : op.iovecs) {
      std::size_t n = std::min(budget - written, iovec.size());
      output_.append(as_string(iovec.first(n)));
      written += n;
      if (written == budget) break;
    }
    connection_->report_write_result(WriteResult::ok(written));
    return written > 0;
  }

  Connection* connection_;
  std::uint64_t now_ = 0;
  std::string input_;
  std::string output_;
  bool eof_ = false;
  bool eof_given_ = false;
  bool write_closed_ = false;
  bool writes_blocked_ = false;
  bool woken_ = false;
  std::size_t write_limit_ = SIZE_MAX;
  std::size_t offered_ = 0;
  std::size_t writer_wakeups_ = 0;
  ReadOperation last_read_ = ReadOperation::read;
};

// Two connections back to back: what one writes, the other reads (and, with
// `a_wrote`, what `a` wrote is kept there too).
inline void pump_pair(Driver& a, Driver& b, std::string* a_wrote = nullptr) {
  for (int turn = 0; turn < 100'000; ++turn) {
    a.pump();
    b.pump();
    std::string from_a = a.take_output(), from_b = b.take_output();
    if (from_a.empty() && from_b.empty()) return;
    if (a_wrote != nullptr) a_wrote->append(from_a);
    if (!from_a.empty()) b.feed(from_a);
    if (!from_b.empty()) a.feed(from_b);
  }
}

}  // namespace paf::testing

#endif
