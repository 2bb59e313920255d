// Bytes waiting to go out, presented to the runtime as iovecs. Small pieces
// (heads, chunk sizes, small writes) are copied together into one buffer (a
// small buffer that finds no such buffer open becomes it); large owned
// buffers are queued as they are, never copied. A buffer presented
// in an iovec is never appended to again, so the iovecs stay valid while new
// output is queued behind them.
#ifndef PAF_HTTP_OUTPUT_QUEUE_H
#define PAF_HTTP_OUTPUT_QUEUE_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "paf/buffer.h"

namespace paf::http {

class OutputQueue {
 public:
  void append(std::string_view text);
  void append(std::span<const std::uint8_t> bytes);
  void append(Buffer&& bytes);

  // Bytes queued and not yet reported written.
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The queued bytes, in order; valid until consume() or clear().
  std::span<const std::span<const std::uint8_t>> iovecs();
  void consume(std::size_t n);
  // Copies the first bytes into `destination` and consumes them; returns how
  // many (a pull-based writer such as an HTTP/2 data source reads so).
  std::size_t read_into(std::span<std::uint8_t> destination);
  // Moves the first `n` bytes (at most size()) to the end of `to`, copying
  // as little as it can: borrowed bytes stay borrowed, a whole large buffer
  // moves, only small pieces and parts of owned buffers are copied.
  void move_front_to(OutputQueue& to, std::size_t n);
  void clear();

 private:
  struct Segment {
    Buffer bytes;
    std::size_t offset = 0;  // bytes of it already written
  };
  Buffer& open_tail();

  std::vector<Segment> segments_;
  std::size_t first_ = 0;      // segments before it are written
  std::size_t presented_ = 0;  // segments before it were presented: sealed
  std::size_t size_ = 0;
  std::vector<std::span<const std::uint8_t>> iovecs_;
};

}  // namespace paf::http

#endif
