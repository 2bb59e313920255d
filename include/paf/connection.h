// The sans-I/O connection: a protocol engine (HTTP/1.x or HTTP/2, server or
// client) that never touches a socket or a clock. paf::Runtime (paf/runtime.h)
// is the one loop that drives any Connection over any Flow, as paf-le-chien's
// Paf.run drives httpaf and h2.
//
// The runtime's contract, in both directions:
//  - Reading: ask next_read_operation(). On `read`, give the connection the bytes
//    received (read() returns how many it consumed; the runtime keeps the rest
//    and gives them again, with more, next time). On end of input call
//    read_eof(). On `yield`, call yield_reader(wakeup): the connection calls
//    wakeup once when it wants to read again. On `close`, stop reading.
//    On `upgrade`, hand the flow to the application (HTTP/1.1 Upgrade, after 101).
//  - Writing: ask next_write_operation(). On `write`, write the buffers (a
//    partial write is fine) and report_write_result() with how many bytes went
//    out, or closed. On `yield`, call yield_writer(wakeup). On `close`, shut the
//    flow's write side.
//  - Time: deadline() is the monotonic time (ns) at which on_deadline() must be
//    called (kNoDeadline when none); it may change after any call.
//  - The runtime ends when both sides have answered `close`; then is_closed().
#ifndef PAF_CONNECTION_H
#define PAF_CONNECTION_H

#include <cstddef>
#include <cstdint>
#include <span>

#include "paf/bytes.h"
#include "paf/function.h"
#include "paf/result.h"

namespace paf {

inline constexpr std::uint64_t kNoDeadline = UINT64_MAX;
inline constexpr std::uint64_t kSecond = 1'000'000'000;

// A monotonic clock in nanoseconds. The engines never read a clock of their
// own: the runtime (or a test) gives them one. An empty clock turns timeouts off.
using Clock = Function<std::uint64_t()>;

// `timeout_ns` from now on `clock`: kNoDeadline when there is no clock
// (timeouts off) or the sum would pass it.
inline std::uint64_t deadline_after(Clock& clock, std::uint64_t timeout_ns) {
  if (!clock) return kNoDeadline;
  std::uint64_t now = clock();
  return timeout_ns > kNoDeadline - now ? kNoDeadline : now + timeout_ns;
}

enum class ReadOperation { read, yield, close, upgrade };

struct WriteOperation {
  enum class Kind { write, yield, close };
  Kind kind = Kind::yield;
  // For `write`: the buffers to send, in order; valid until report_write_result().
  std::span<const Bytes> iovecs = {};

  static WriteOperation write(std::span<const Bytes> buffers) { return {Kind::write, buffers}; }
  static WriteOperation yield() { return {Kind::yield, {}}; }
  static WriteOperation close() { return {Kind::close, {}}; }
};

// What became of the last `write`: `bytes` went out (possibly fewer than asked),
// or the flow is closed for writing.
struct WriteResult {
  std::size_t bytes = 0;
  bool closed = false;

  static WriteResult ok(std::size_t n) { return {n, false}; }
  static WriteResult closed_flow() { return {0, true}; }
};

using Wakeup = Function<void()>;

class Connection {
 public:
  virtual ~Connection() = default;

  virtual ReadOperation next_read_operation() = 0;
  // Consumes a prefix of `bytes`; returns its length.
  virtual std::size_t read(Bytes bytes) = 0;
  // The peer will send nothing more; `bytes` are the last unconsumed bytes.
  virtual std::size_t read_eof(Bytes bytes) = 0;
  virtual void yield_reader(Wakeup wakeup) = 0;

  virtual WriteOperation next_write_operation() = 0;
  virtual void report_write_result(WriteResult result) = 0;
  virtual void yield_writer(Wakeup wakeup) = 0;

  virtual std::uint64_t deadline() const { return kNoDeadline; }
  virtual void on_deadline(std::uint64_t now_ns) { (void)now_ns; }

  // The flow failed (reset, TLS alert, ...): the connection fails what is in
  // flight and both operations turn to `close`.
  virtual void report_error(const Error& error) = 0;
  // Graceful shutdown: accept no new request (HTTP/2: GOAWAY), finish what is
  // in flight, then close.
  virtual void shutdown() = 0;
  virtual bool is_closed() const = 0;
};

}  // namespace paf

#endif
