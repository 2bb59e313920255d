// Two connected in-memory Flows, for tests of every layer above Flow: what one
// end writes, the other reads. Each direction holds at most `capacity` unread
// bytes, so backpressure can be exercised, and faults can be injected (close,
// reset). Wakeups are posted on the loop, as the Flow contract requires.
#ifndef PAF_MEMORY_FLOW_H
#define PAF_MEMORY_FLOW_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "paf/flow.h"
#include "paf/loop.h"

namespace paf {

struct MemoryFlowOptions {
  std::size_t capacity = 64 * 1024;      // unread bytes one direction holds
  std::size_t max_transfer = SIZE_MAX;   // most bytes one read() or writev() moves
};

struct MemoryFlowPair;

class MemoryFlow final : public Flow {
 public:
  // Makes the two ends (symmetric; "client" and "server" only name them).
  static MemoryFlowPair pair(Loop& loop, MemoryFlowOptions options = {});

  ~MemoryFlow() override;

  Result<std::size_t> read(MutableBytes buffer) override;
  Result<std::size_t> writev(std::span<const Bytes> buffers) override;
  Result<void> shutdown_write() override;
  void close() override;
  void when_readable(Function<void()> wakeup) override;
  void when_writable(Function<void()> wakeup) override;
  std::string_view peer() const override;

  // Fault injection: an abortive close (TCP RST). Unread bytes both ways are
  // lost; every later read or write on either end fails with closed, and
  // pending wakeups on both ends are delivered so they see it.
  void reset();

  // Bytes written by the peer and not yet read here.
  std::size_t unread_bytes() const;

  struct Pipe;  // the state both ends share; defined in memory_flow.cpp

 private:
  MemoryFlow(std::shared_ptr<Pipe> pipe, int side) : pipe_(std::move(pipe)), side_(side) {}

  std::shared_ptr<Pipe> pipe_;
  int side_;  // 0: client, 1: server
};

struct MemoryFlowPair {
  std::unique_ptr<MemoryFlow> client;
  std::unique_ptr<MemoryFlow> server;
};

}  // namespace paf

#endif
