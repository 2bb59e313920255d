#include "paf/memory_flow.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "paf/detail/anchor.h"

namespace paf {
namespace {

// A fixed-capacity FIFO of bytes.
class ByteRing {
 public:
  explicit ByteRing(std::size_t capacity) : storage_(capacity) {}

  std::size_t size() const { return size_; }
  std::size_t room() const { return storage_.size() - size_; }
  void clear() { head_ = size_ = 0; }

  // Appends as much of `bytes` as fits; returns how much did.
  std::size_t push(Bytes bytes) {
    std::size_t n = std::min(bytes.size(), room());
    for (std::size_t done = 0; done < n;) {
      std::size_t tail = (head_ + size_) % storage_.size();
      std::size_t chunk = std::min(n - done, storage_.size() - tail);
      std::memcpy(storage_.data() + tail, bytes.data() + done, chunk);
      size_ += chunk;
      done += chunk;
    }
    return n;
  }

  // Moves up to out.size() bytes into `out`; returns how many.
  std::size_t pop(MutableBytes out) {
    std::size_t n = std::min(out.size(), size_);
    for (std::size_t done = 0; done < n;) {
      std::size_t chunk = std::min(n - done, storage_.size() - head_);
      std::memcpy(out.data() + done, storage_.data() + head_, chunk);
      head_ = (head_ + chunk) % storage_.size();
      size_ -= chunk;
      done += chunk;
    }
    return n;
  }

 private:
  std::vector<std::uint8_t> storage_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

enum class Readiness { readable, writable };

}  // namespace

struct MemoryFlow::Pipe {
  struct Endpoint {
    Endpoint(std::size_t capacity, std::string_view endpoint_name) : inbox(capacity), name(endpoint_name) {}
    ByteRing inbox;              // what the peer wrote, for this end to read
    bool write_shut = false;     // this end sent end of stream
    bool closed = false;         // this end called close()
    Function<void()> wakeups[2];     // indexed by Readiness
    bool delivery_posted[2] = {};    // a deliver() for that wakeup is queued on the loop
    std::string_view name;
  };

  Pipe(Loop& wakeup_loop, MemoryFlowOptions chosen)
      : loop(wakeup_loop), options(chosen),
        ends{Endpoint(chosen.capacity, "memory:client"), Endpoint(chosen.capacity, "memory:server")} {}

  Endpoint& peer_of(int side) { return ends[1 - side]; }

  bool is_ready(int side, Readiness what) {
    Endpoint& self = ends[side];
    Endpoint& peer = peer_of(side);
    if (reset || self.closed) return true;  // the operation would fail at once
    if (what == Readiness::readable) return self.inbox.size() > 0 || peer.write_shut;
    return peer.inbox.room() > 0 || self.write_shut || peer.closed;
  }

  // Posts a delivery for every pending wakeup whose condition now holds. Called
  // after every change of state, so no wakeup can be forgotten.
  void update_readiness(const std::shared_ptr<Pipe>& self) {
    for (int side = 0; side < 2; ++side) {
      for (Readiness what : {Readiness::readable, Readiness::writable}) {
        Endpoint& end = ends[side];
        int slot = static_cast<int>(what);
        if (end.closed || !end.wakeups[slot] || end.delivery_posted[slot] || !is_ready(side, what))
          continue;
        end.delivery_posted[slot] = true;
        loop.post([self, side, what] { self->deliver(side, what); });
      }
    }
  }

  // Runs on the loop: calls the wakeup if it is still wanted and still due (a
  // read in between may have drained what made it due; it then stays pending).
  void deliver(int side, Readiness what) {
    Endpoint& end = ends[side];
    int slot = static_cast<int>(what);
    end.delivery_posted[slot] = false;
    if (end.closed || !end.wakeups[slot] || !is_ready(side, what)) return;
    fire_once(end.wakeups[slot]);
  }

  Loop& loop;
  MemoryFlowOptions options;
  Endpoint ends[2];
  bool reset = false;
};

MemoryFlowPair MemoryFlow::pair(Loop& loop, MemoryFlowOptions options) {
  options.capacity = std::max<std::size_t>(options.capacity, 1);
  options.max_transfer = std::max<std::size_t>(options.max_transfer, 1);
  auto pipe = std::make_shared<Pipe>(loop, options);
  return {std::unique_ptr<MemoryFlow>(new MemoryFlow(pipe, 0)),
          std::unique_ptr<MemoryFlow>(new MemoryFlow(pipe, 1))};
}

MemoryFlow::~MemoryFlow() { close(); }

Result<std::size_t> MemoryFlow::read(MutableBytes buffer) {
  Pipe::Endpoint& self = pipe_->ends[side_];
  if (self.closed) return fail(Errc::closed, "memory flow: closed");
  if (pipe_->reset) return fail(Errc::closed, "memory flow: connection reset");
  if (buffer.empty()) return fail(Errc::invalid_argument, "memory flow: read into an empty buffer");
  if (self.inbox.size() == 0) {
    if (pipe_->peer_of(side_).write_shut) return 0;
    return fail(Errc::would_block, "memory flow: nothing to read yet");
  }
  std::size_t n =
      self.inbox.pop(buffer.first(std::min(buffer.size(), pipe_->options.max_transfer)));
  pipe_->update_readiness(pipe_);
  return n;
}

Result<std::size_t> MemoryFlow::writev(std::span<const Bytes> buffers) {
  Pipe::Endpoint& self = pipe_->ends[side_];
  Pipe::Endpoint& peer = pipe_->peer_of(side_);
  if (self.closed) return fail(Errc::closed, "memory flow: closed");
  if (pipe_->reset) return fail(Errc::closed, "memory flow: connection reset");
  if (self.write_shut) return fail(Errc::closed, "memory flow: write side shut down");
  if (peer.closed) return fail(Errc::closed, "memory flow: peer closed");
  std::size_t total = 0;
  for (Bytes buffer : buffers) total += buffer.size();
  if (total == 0) return 0;
  std::size_t budget = std::min(peer.inbox.room(), pipe_->options.max_transfer);
  if (budget == 0) return fail(Errc::would_block, "memory flow: peer's buffer is full");
  std::size_t written = 0;
  for (Bytes buffer : buffers) {
    if (written == budget) break;
    written += peer.inbox.push(buffer.first(std::min(buffer.size(), budget - written)));
  }
  pipe_->update_readiness(pipe_);
  return written;
}

Result<void> MemoryFlow::shutdown_write() {
  Pipe::Endpoint& self = pipe_->ends[side_];
  if (self.closed) return fail(Errc::closed, "memory flow: closed");
  if (pipe_->reset) return fail(Errc::closed, "memory flow: connection reset");
  self.write_shut = true;
  pipe_->update_readiness(pipe_);
  return {};
}

void MemoryFlow::close() {
  Pipe::Endpoint& self = pipe_->ends[side_];
  if (self.closed) return;
  self.closed = true;
  self.write_shut = true;
  self.inbox.clear();
  for (Function<void()>& wakeup : self.wakeups) wakeup = nullptr;
  pipe_->update_readiness(pipe_);
}

void MemoryFlow::reset() {
  pipe_->reset = true;
  for (Pipe::Endpoint& end : pipe_->ends) end.inbox.clear();
  pipe_->update_readiness(pipe_);
}

void MemoryFlow::when_readable(Function<void()> wakeup) {
  Pipe::Endpoint& self = pipe_->ends[side_];
  if (self.closed) return;
  self.wakeups[static_cast<int>(Readiness::readable)] = std::move(wakeup);
  pipe_->update_readiness(pipe_);
}

void MemoryFlow::when_writable(Function<void()> wakeup) {
  Pipe::Endpoint& self = pipe_->ends[side_];
  if (self.closed) return;
  self.wakeups[static_cast<int>(Readiness::writable)] = std::move(wakeup);
  pipe_->update_readiness(pipe_);
}

std::string_view MemoryFlow::peer() const { return pipe_->peer_of(side_).name; }

std::size_t MemoryFlow::unread_bytes() const { return pipe_->ends[side_].inbox.size(); }

}  // namespace paf
