// Output bytes presented as iovecs (see output_queue.h).
#include "output_queue.h"

#include <algorithm>
#include <utility>

namespace paf::http {
namespace {

// Pieces up to this size are copied into a shared buffer: one iovec, few allocations.
constexpr std::size_t kCopyLimit = 4096;
constexpr std::size_t kMaxIovecs = 64;

}  // namespace

Buffer& OutputQueue::open_tail() {
  if (segments_.size() == presented_ || segments_.back().bytes.size() >= kCopyLimit) {
    segments_.emplace_back();
    segments_.back().bytes.reserve(kCopyLimit);
  }
  return segments_.back().bytes;
}

void OutputQueue::append(std::string_view text) {
  append(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void OutputQueue::append(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  if (bytes.size() > kCopyLimit) return append(Buffer(bytes));
  open_tail().append(bytes);
  size_ += bytes.size();
}

void OutputQueue::append(Buffer&& bytes) {
  if (bytes.size() <= kCopyLimit) {
    // With no open tail to copy it into, a small buffer becomes the tail as
    // it is, rather than be copied into a new one (a borrowed one is copied
    // into storage of its own only if more is appended to it).
    const bool open_tail = segments_.size() > presented_ && !segments_.back().bytes.empty();
    if (open_tail || bytes.empty()) return append(bytes.bytes());
    size_ += bytes.size();
    if (segments_.size() > presented_)
      segments_.back().bytes = std::move(bytes);  // the empty tail left by sealing
    else
      segments_.push_back(Segment{std::move(bytes), 0});
    return;
  }
  size_ += bytes.size();
  segments_.push_back(Segment{std::move(bytes), 0});
  // Seal it, so that what follows starts a new buffer.
  segments_.emplace_back();
}

std::span<const std::span<const std::uint8_t>> OutputQueue::iovecs() {
  iovecs_.clear();
  std::size_t i = first_;
  for (; i < segments_.size() && iovecs_.size() < kMaxIovecs; ++i) {
    const Segment& segment = segments_[i];
    if (segment.offset < segment.bytes.size())
      iovecs_.push_back(segment.bytes.bytes().subspan(segment.offset));
  }
  if (i > presented_) presented_ = i;
  return iovecs_;
}

void OutputQueue::consume(std::size_t n) {
  size_ -= n;
  while (n > 0 && first_ < segments_.size()) {
    Segment& segment = segments_[first_];
    std::size_t taken = std::min(n, segment.bytes.size() - segment.offset);
    segment.offset += taken;
    n -= taken;
    if (segment.offset < segment.bytes.size()) break;
    ++first_;
  }
  if (size_ == 0) clear();
}

std::size_t OutputQueue::read_into(std::span<std::uint8_t> destination) {
  std::size_t copied = 0;
  for (std::size_t i = first_; i < segments_.size() && copied < destination.size(); ++i) {
    const Segment& segment = segments_[i];
    Bytes rest = segment.bytes.bytes().subspan(segment.offset);
    std::size_t n = std::min(rest.size(), destination.size() - copied);
    std::copy_n(rest.data(), n, destination.data() + copied);
    copied += n;
  }
  consume(copied);
  return copied;
}

void OutputQueue::move_front_to(OutputQueue& to, std::size_t n) {
  n = std::min(n, size_);
  size_ -= n;
  while (n > 0 && first_ < segments_.size()) {
    Segment& segment = segments_[first_];
    Bytes rest = segment.bytes.bytes().subspan(segment.offset);
    std::size_t take = std::min(rest.size(), n);
    // A whole buffer moves if no iovec points into it and nothing is appended
    // to it any more (it is not the tail).
    const bool movable = segment.offset == 0 && take == rest.size() && first_ >= presented_ &&
                         first_ + 1 < segments_.size();
    if (segment.bytes.is_borrowed())
      to.append(Buffer::borrow(rest.first(take)));
    else if (movable)
      to.append(std::move(segment.bytes));
    else
      to.append(rest.first(take));
    n -= take;
    segment.offset += take;
    if (movable || segment.offset == segment.bytes.size()) ++first_;
  }
  if (size_ == 0) clear();
}

void OutputQueue::clear() {
  segments_.clear();
  first_ = presented_ = size_ = 0;
  iovecs_.clear();
}

}  // namespace paf::http
