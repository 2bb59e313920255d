// A small sans-I/O echo protocol as a paf::Connection, for tests of the
// runtime over any Flow (in memory, TCP, Unix sockets).
#ifndef PAF_TESTS_SUPPORT_ECHO_CONNECTION_H
#define PAF_TESTS_SUPPORT_ECHO_CONNECTION_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "paf/connection.h"

namespace paf::test_support {

// Echoes every byte back; closes after end of input once all is echoed. Holds
// at most `window` unsent bytes, so a slow reader stalls it (backpressure).
// With `upgrade_on`, consuming that line answers "101\n" and asks to upgrade.
class EchoConnection final : public Connection {
 public:
  std::size_t window = 4096;
  std::string upgrade_on;
  std::uint64_t deadline_ns = kNoDeadline;
  std::optional<Error> error;
  int deadlines_seen = 0;

  ReadOperation next_read_operation() override {
    if (upgrading_) return ReadOperation::upgrade;
    if (error || end_of_input_ || shutting_down_) return ReadOperation::close;
    return unsent() >= window ? ReadOperation::yield : ReadOperation::read;
  }
  std::size_t read(Bytes bytes) override {
    if (!upgrade_on.empty()) {
      std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      if (text.starts_with(upgrade_on)) {
        upgrading_ = true;
        append("101\n");
        wake(writer_);
        return upgrade_on.size();
      }
    }
    std::size_t n = std::min(bytes.size(), window - unsent());
    out_.insert(out_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    wake(writer_);  // synchronously, from inside read(): the runtime must cope
    return n;
  }
  std::size_t read_eof(Bytes bytes) override {
    std::size_t n = read(bytes);
    // With the window full, the rest is offered again once it drains.
    if (n == bytes.size() || upgrading_) end_of_input_ = true;
    wake(writer_);
    return n;
  }
  void yield_reader(Wakeup wakeup) override { reader_ = std::move(wakeup); }

  WriteOperation next_write_operation() override {
    if (unsent() > 0) {
      iovec_ = Bytes(out_.data() + sent_, unsent());
      return WriteOperation::write({&iovec_, 1});
    }
    if (error || ((end_of_input_ || shutting_down_) && !upgrading_)) return WriteOperation::close();
    return WriteOperation::yield();
  }
  void report_write_result(WriteResult result) override {
    if (result.closed) {
      error = Error{Errc::closed, "write side closed"};
      wake(reader_);
      return;
    }
    sent_ += result.bytes;
    if (sent_ == out_.size()) {
      out_.clear();
      sent_ = 0;
    }
    wake(reader_);
  }
  void yield_writer(Wakeup wakeup) override { writer_ = std::move(wakeup); }

  std::uint64_t deadline() const override { return deadline_ns; }
  void on_deadline(std::uint64_t) override {
    ++deadlines_seen;
    deadline_ns = kNoDeadline;
    shutting_down_ = true;
    wake(reader_);
    wake(writer_);
  }
  void report_error(const Error& e) override {
    error = e;
    wake(reader_);
    wake(writer_);
  }
  void shutdown() override {
    shutting_down_ = true;
    wake(reader_);
    wake(writer_);
  }
  bool is_closed() const override { return false; }

  // Output made outside a read (as a client's request is): the runtime is woken.
  void say(std::string_view text) {
    append(text);
    wake(writer_);
  }

 private:
  std::size_t unsent() const { return out_.size() - sent_; }
  void append(std::string_view text) { out_.insert(out_.end(), text.begin(), text.end()); }
  static void wake(Wakeup& wakeup) {
    if (!wakeup) return;
    Wakeup once = std::move(wakeup);
    wakeup = nullptr;
    once();
  }

  std::vector<std::uint8_t> out_;
  std::size_t sent_ = 0;
  Bytes iovec_;
  Wakeup reader_, writer_;
  bool end_of_input_ = false, shutting_down_ = false, upgrading_ = false;
};

}  // namespace paf::test_support

#endif
