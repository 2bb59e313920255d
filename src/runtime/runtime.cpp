#include "paf/runtime.h"

#include <cstring>
#include <utility>

namespace paf {

Runtime::Runtime(Loop& loop, Connection& connection, Flow& flow, RuntimeOptions options)
    : loop_(loop), connection_(connection), flow_(flow), options_(options) {}

// The anchor goes with the members: the callbacks destroyed here are never called.
Runtime::~Runtime() {
  if (deadline_timer_ != TimerId{}) loop_.cancel_timer(deadline_timer_);
  if (linger_timer_ != TimerId{}) loop_.cancel_timer(linger_timer_);
  if (!upgrade_flushed_) flow_.close();
}

std::uint8_t* Runtime::take_read_buffer() {
  if (!read_buffer_) read_buffer_ = std::make_unique_for_overwrite<std::uint8_t[]>(options_.read_buffer_size);
  return read_buffer_.get();
}

void Runtime::give_first_input(Bytes bytes) {
  std::size_t size =
      bytes.size() < options_.read_buffer_size ? bytes.size() : options_.read_buffer_size;
  if (size > 0) std::memcpy(take_read_buffer(), bytes.data(), size);
  read_start_ = 0;
  read_end_ = size;
  first_input_unread_ = size > 0;
}

void Runtime::start(Function<void(RunOutcome)> on_done) {
  on_done_ = std::move(on_done);
  loop_.post([anchor = anchor_.ref()] {
    Runtime* self = anchor.get();
    if (self == nullptr) return;
    self->pump_read();
    self->pump_write();
  });
}

void Runtime::shutdown() {
  if (done_) return;
  connection_.shutdown();
  pump_read();
  pump_write();
}

// A wakeup handed to the connection or the flow: it may be called from inside
// one of our own calls, so it only re-enters through the pump's guard.
Function<void()> Runtime::wakeup(void (Runtime::*pump)()) {
  return [anchor = anchor_.ref(), pump] {
    Runtime* self = anchor.get();
    if (self != nullptr && !self->done_) (self->*pump)();
  };
}

Function<void()> Runtime::output_wakeup() {
  if (!options_.coalesce_output) return wakeup(&Runtime::pump_write);
  return [anchor = anchor_.ref()] {
    Runtime* self = anchor.get();
    if (self == nullptr || self->done_ || self->write_posted_) return;
    self->write_posted_ = true;
    self->loop_.post([anchor = self->anchor_.ref()] {
      Runtime* posted = anchor.get();
      if (posted == nullptr) return;
      posted->write_posted_ = false;
      if (!posted->done_) posted->pump_write();
    });
  };
}

void Runtime::pump_read() {
  if (in_read_pump_) {
    read_again_ = true;
    return;
  }
  in_read_pump_ = true;
  bool keep_going = true;
  while (keep_going && !read_closed_ && !upgraded_) {
    read_again_ = false;
    switch (connection_.next_read_operation()) {
      case ReadOperation::read:
        read_once(keep_going);
        break;
      case ReadOperation::yield:
        offer_after_yield_ = true;
        connection_.yield_reader(wakeup(&Runtime::pump_read));
        keep_going = read_again_;
        break;
      case ReadOperation::close:
        read_closed_ = true;
        break;
      case ReadOperation::upgrade:
        upgraded_ = true;
        break;
    }
  }
  in_read_pump_ = false;
  if (upgraded_) pump_write();  // flush up to the 101; the write pump then hands over
  arm_deadline();
  finish_if_done();
}

// One step of a `read` operation: offer buffered bytes first, else read more.
void Runtime::read_once(bool& keep_going) {
  // Offered before reading: the flow may have nothing more for a while. So
  // is what a connection left when it yielded (bytes after a paused body, or
  // the end of a message its parser holds), even nothing: it may act on it
  // now, and the peer may be waiting for that.
  if (first_input_unread_ || offer_after_yield_) {
    first_input_unread_ = offer_after_yield_ = false;
    return feed_connection();
  }
  if (end_of_input_) {
    std::size_t before = read_end_ - read_start_;
    read_start_ += connection_.read_eof({read_buffer_.get() + read_start_, before});
    // A connection that still wants input after being told of its end, and
    // took nothing more, would spin: nothing will ever come, so stop reading.
    if (eof_delivered_ && read_end_ - read_start_ == before) keep_going = false;
    eof_delivered_ = true;
    return;
  }
  if (read_start_ > 0) {  // keep unconsumed bytes at the front: one buffer, no growth
    std::memmove(read_buffer_.get(), read_buffer_.get() + read_start_, read_end_ - read_start_);
    read_end_ -= read_start_;
    read_start_ = 0;
  }
  if (read_end_ == options_.read_buffer_size) {
    connection_.report_error(
        Error{Errc::limit_exceeded, "the connection consumed nothing of a full read buffer"});
    return;
  }
  Result<std::size_t> got =
      flow_.read({take_read_buffer() + read_end_, options_.read_buffer_size - read_end_});
  if (!got) {
    if (got.error().code == Errc::would_block) {
      // Nothing to read for now: a connection that holds no unread bytes
      // waits without a read buffer (idle connections are most of them).
      if (read_end_ == 0) read_buffer_.reset();
      flow_.when_readable(wakeup(&Runtime::pump_read));
      keep_going = read_again_;
    } else {
      connection_.report_error(got.error());
    }
    return;
  }
  if (*got == 0) {
    end_of_input_ = true;
    return;
  }
  read_end_ += *got;
  feed_connection();
}

void Runtime::feed_connection() {
  std::size_t consumed =
      connection_.read({read_buffer_.get() + read_start_, read_end_ - read_start_});
  read_start_ += consumed;
  if (read_start_ == read_end_) read_start_ = read_end_ = 0;
}

void Runtime::pump_write() {
  if (in_write_pump_) {
    write_again_ = true;
    return;
  }
  in_write_pump_ = true;
  bool keep_going = true;
  while (keep_going && !write_closed_) {
    write_again_ = false;
    WriteOperation operation = connection_.next_write_operation();
    switch (operation.kind) {
      case WriteOperation::Kind::write: {
        Result<std::size_t> sent = flow_.writev(operation.iovecs);
        if (sent) {
          connection_.report_write_result(WriteResult::ok(*sent));
        } else if (sent.error().code == Errc::would_block) {
          flow_.when_writable(wakeup(&Runtime::pump_write));
          keep_going = write_again_;
        } else {
          connection_.report_write_result(WriteResult::closed_flow());
        }
        break;
      }
      case WriteOperation::Kind::yield:
        // After an upgrade, everything up to the 101 has gone out: hand over.
        if (upgraded_) {
          upgrade_flushed_ = true;
          keep_going = false;
          break;
        }
        connection_.yield_writer(output_wakeup());
        keep_going = write_again_;
        break;
      case WriteOperation::Kind::close:
        (void)flow_.shutdown_write();
        write_closed_ = true;
        break;
    }
  }
  in_write_pump_ = false;
  arm_deadline();
  finish_if_done();
}

void Runtime::arm_deadline() {
  if (done_) return;
  std::uint64_t deadline = connection_.deadline();
  if (deadline == armed_deadline_) return;
  if (deadline_timer_ != TimerId{}) loop_.cancel_timer(deadline_timer_);
  deadline_timer_ = TimerId{};
  armed_deadline_ = deadline;
  if (deadline == kNoDeadline) return;
  deadline_timer_ = loop_.add_timer_at(deadline, [this] { on_deadline_timer(); });
}

void Runtime::on_deadline_timer() {
  deadline_timer_ = TimerId{};
  armed_deadline_ = kNoDeadline;
  connection_.on_deadline(loop_.now_ns());
  pump_read();
  pump_write();
}

void Runtime::linger() {
  if (!lingering_) {
    lingering_ = true;
    linger_timer_ = loop_.add_timer_after(options_.linger_ns, [this] {
      linger_timer_ = TimerId{};
      linger_expired_ = true;
      finish_if_done();
    });
  }
  flow_.when_writable(wakeup(&Runtime::finish_if_done));
}

void Runtime::finish_if_done() {
  if (done_ || in_read_pump_ || in_write_pump_) return;
  bool closed = write_closed_ && (read_closed_ || upgraded_);
  if (!closed && !upgrade_flushed_) return;
  // A close now would drop what the flow still holds (the last TLS records,
  // close_notify): wait for it to pass them on, for linger_ns at most.
  if (closed && !linger_expired_ && flow_.write_pending()) return linger();
  if (linger_timer_ != TimerId{}) loop_.cancel_timer(linger_timer_);
  linger_timer_ = TimerId{};
  done_ = true;
  if (deadline_timer_ != TimerId{}) loop_.cancel_timer(deadline_timer_);
  deadline_timer_ = TimerId{};
  RunOutcome outcome = closed ? RunOutcome::closed : RunOutcome::upgraded;
  if (closed) flow_.close();
  loop_.post([anchor = anchor_.ref(), outcome] {
    Runtime* self = anchor.get();
    if (self == nullptr || !self->on_done_) return;
    Function<void(RunOutcome)> on_done = std::move(self->on_done_);
    on_done(outcome);  // may destroy the Runtime: nothing after
  });
}

}  // namespace paf
