// How a fuzz input becomes a conversation with the code under test: a
// sequence of steps, each opened by a control byte, so that the fuzzer chooses
// where every read ends, when time moves and when the peer stops, as well as
// the bytes. The same encoding writes the seed corpora (make_seeds.cpp).
//
//   0x00-0xEF  feed the next (control + 1) bytes: one read of 1 to 240 bytes
//   0xF0-0xF7  the clock moves by 10 ms * 4^(control - 0xF0): 10 ms to ~164 s
//   0xF8       end of input (the peer shut its write side)
//   0xF9       the peer stops reading (writes block), or reads again
//   0xFA b     writes go out at most b + 1 bytes at a time (partial writes)
//   0xFB h l   feed the next (h << 8 | l) bytes: one long read
//   0xFC-0xFF  an action of the target's own (action 0 to 3): another
//              request, a cancel, a graceful shutdown...
// A feed that runs past the input's end feeds what is left.
#ifndef PAF_FUZZ_STEPS_H
#define PAF_FUZZ_STEPS_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "paf/bytes.h"

namespace paf::fuzz {

struct Step {
  enum class Kind { feed, advance, end_of_input, toggle_reading, write_limit, action, done };
  Kind kind = Kind::done;
  Bytes bytes = {};       // feed
  std::uint64_t ns = 0;   // advance
  std::size_t limit = 0;  // write_limit
  unsigned action = 0;    // action
};

inline constexpr std::uint8_t kLongFeed = 0xFB;
inline constexpr std::size_t kMaxShortFeed = 240;

class Steps {
 public:
  Steps(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  Step next() {
    if (at_ >= size_) return {};
    const std::uint8_t control = data_[at_++];
    if (control < 0xF0) return feed(control + std::size_t{1});
    if (control < 0xF8) {
      std::uint64_t ns = 10'000'000;
      for (int i = 0; i < control - 0xF0; ++i) ns *= 4;
      return {Step::Kind::advance, {}, ns};
    }
    switch (control) {
      case 0xF8:
        return {Step::Kind::end_of_input};
      case 0xF9:
        return {Step::Kind::toggle_reading};
      case 0xFA:
        return {Step::Kind::write_limit, {}, 0, take_byte() + std::size_t{1}};
      case kLongFeed: {
        std::size_t length = take_byte() << 8;
        return feed(length | take_byte());
      }
      default:
        return {Step::Kind::action, {}, 0, 0, static_cast<unsigned>(control - 0xFC)};
    }
  }

 private:
  std::size_t take_byte() { return at_ < size_ ? data_[at_++] : 0; }
  Step feed(std::size_t length) {
    if (length > size_ - at_) length = size_ - at_;
    Step step{Step::Kind::feed, {data_ + at_, length}};
    at_ += length;
    return step;
  }

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

// --- writing inputs (the seed corpora) ---------------------------------------

// `bytes` as feed steps of at most `chunk` bytes each (1 to 240 give short
// feeds, more give long ones).
inline std::string encode_feed(std::string_view bytes, std::size_t chunk = kMaxShortFeed) {
  std::string out;
  while (!bytes.empty()) {
    std::size_t n = std::min({bytes.size(), chunk, std::size_t{0xFFFF}});
    if (n <= kMaxShortFeed) {
      out.push_back(static_cast<char>(n - 1));
    } else {
      out.push_back(static_cast<char>(kLongFeed));
      out.push_back(static_cast<char>(n >> 8));
      out.push_back(static_cast<char>(n & 0xFF));
    }
    out.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
  }
  return out;
}
// The clock moving by 10 ms * 4^power (power 0 to 7).
inline std::string encode_advance(int power) {
  return std::string(1, static_cast<char>(0xF0 + power));
}
inline std::string encode_end_of_input() { return "\xF8"; }
inline std::string encode_action(unsigned action) {
  return std::string(1, static_cast<char>(0xFC + action));
}

}  // namespace paf::fuzz

#endif
