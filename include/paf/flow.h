// A Flow: an asynchronous, non-blocking byte stream (paf's Mirage_flow). Host
// TCP and Unix sockets, lwIP TCP, TLS over any Flow and the in-memory pair of
// tests all implement it; a paf::Runtime drives any Connection over any Flow.
//
// Nothing blocks. An operation that cannot progress fails with
// Errc::would_block; the caller then asks to be woken (when_readable /
// when_writable) and tries again. Wakeups are one-shot and delivered by the
// loop, never from inside a call on this flow or its peer, so a wakeup may
// call the flow freely. Spurious wakeups are allowed: retry and re-arm.
//
// This fits each backend: an epoll socket arms EPOLLIN/EPOLLOUT while a wakeup
// is pending; lwIP's recv/sent callbacks post the pending wakeup; a TLS flow
// arms its inner flow's readable or writable wakeup, whichever the TLS engine
// is waiting for.
#ifndef PAF_FLOW_H
#define PAF_FLOW_H

#include <cstddef>
#include <span>
#include <string_view>

#include "paf/bytes.h"
#include "paf/function.h"
#include "paf/result.h"

namespace paf {

class Flow {
 public:
  virtual ~Flow() = default;  // implementations close() on destruction

  // Copies received bytes into `buffer` (not empty) and returns how many (> 0).
  // Returns 0 at end of stream: the peer shut its write side and every byte
  // before that was read; later reads return 0 again.
  // Fails with would_block when nothing has arrived yet, closed when the flow
  // was closed or reset, invalid_argument for an empty buffer.
  virtual Result<std::size_t> read(MutableBytes buffer) = 0;

  // Queues the bytes of `buffers`, in order, and returns how many were taken:
  // possibly fewer than offered (backpressure), > 0 unless all are empty.
  // Fails with would_block when no byte fits, closed when the write side was
  // shut, the flow closed, or the peer is gone.
  virtual Result<std::size_t> writev(std::span<const Bytes> buffers) = 0;
  Result<std::size_t> write(Bytes bytes) { return writev({&bytes, 1}); }

  // Ends the write side after what is queued (TCP FIN, TLS close_notify): the
  // peer reads end of stream. Reading goes on. Idempotent.
  virtual Result<void> shutdown_write() = 0;

  // Releases the flow: both sides end, pending wakeups are dropped and never
  // called, and every later operation fails with closed. Idempotent.
  virtual void close() = 0;

  // Calls `wakeup` once, from the loop, when read() may make progress (data,
  // end of stream, or an error to report). Replaces a pending readable wakeup.
  virtual void when_readable(Function<void()> wakeup) = 0;
  // Calls `wakeup` once, from the loop, when writev() may make progress (room,
  // or an error to report). Replaces a pending writable wakeup.
  virtual void when_writable(Function<void()> wakeup) = 0;

  // Whether bytes already taken (or the end of the write side) still wait
  // inside the flow itself, so that close() now would lose them. A flow with
  // a queue of its own above the network (TLS) says so until it has passed
  // them on, and when_writable() fires once it has; flows that hand their
  // bytes to the system at once (sockets, lwIP) never do.
  virtual bool write_pending() const { return false; }

  // Who is at the other end, for logs: "10.0.2.2:51234", "unix:/run/x.sock".
  // Valid as long as the flow.
  virtual std::string_view peer() const = 0;
};

}  // namespace paf

#endif
