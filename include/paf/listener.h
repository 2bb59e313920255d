// A Listener: where a server's Flows come from — a listening TCP socket on the
// host, a Unix domain socket, or an lwIP listening PCB (Stack::listen). It follows the
// rules of paf/flow.h.
//
// Nothing blocks. accept() fails with Errc::would_block when no connection is
// pending; the caller then asks to be woken (when_acceptable) and tries again.
// The wakeup is one-shot and delivered by the loop, never from inside a call
// on this listener, so it may call the listener freely. Spurious wakeups are
// allowed: retry and re-arm.
#ifndef PAF_LISTENER_H
#define PAF_LISTENER_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "paf/flow.h"
#include "paf/function.h"
#include "paf/result.h"

namespace paf {

class Listener {
 public:
  virtual ~Listener() = default;  // implementations close() on destruction

  // Takes the next pending connection as a connected Flow, which lives on its
  // own (it may outlive the listener). Fails with would_block when none is
  // pending, closed once the listener is closed, and with another code when
  // the platform refuses (out of descriptors, memory): the connection then
  // stays pending.
  virtual Result<std::unique_ptr<Flow>> accept() = 0;

  // Calls `wakeup` once, from the loop, when accept() may make progress.
  // Replaces a pending wakeup; ignored once closed.
  virtual void when_acceptable(Function<void()> wakeup) = 0;

  // Stops listening: connections not yet accepted are refused, a pending
  // wakeup is dropped and never called, and accept() fails with closed.
  // Flows already accepted are not affected. Idempotent.
  virtual void close() = 0;

  // Where the listener listens, for logs and for clients: "127.0.0.1:8080",
  // "[::1]:8443", "unix:/run/paf.sock". Valid as long as the listener, and
  // unchanged by close().
  virtual std::string_view local_address() const = 0;

  // The port listened on, for the listeners that have one (TCP): the one the
  // system chose when asked for port 0.
  virtual std::optional<std::uint16_t> port() const = 0;
};

}  // namespace paf

#endif
