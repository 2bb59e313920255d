// paf::Buffer: the one owned, growable byte buffer (and owned string) of paf.
// Freestanding code has no std::string; a Buffer holds text or bytes alike, and
// moving one never copies or moves its contents (views of it stay valid).
#ifndef PAF_BUFFER_H
#define PAF_BUFFER_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "paf/bytes.h"

namespace paf {

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(std::string_view text) { append(text); }
  explicit Buffer(Bytes bytes) { append(bytes); }

  // Both copy with memmove: inserting chars into bytes would copy one by one.
  void append(std::string_view text) {
    const auto* first = reinterpret_cast<const std::uint8_t*>(text.data());
    bytes_.insert(bytes_.end(), first, first + text.size());
  }
  void append(Bytes bytes) { bytes_.insert(bytes_.end(), bytes.data(), bytes.data() + bytes.size()); }
  void append(char c) { bytes_.push_back(static_cast<std::uint8_t>(c)); }
  // `value` in base 10 or 16 (lowercase), as HTTP writes lengths and chunk sizes.
  void append_number(std::uint64_t value, unsigned base = 10);

  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  Bytes bytes() const { return bytes_; }
  std::uint8_t* data() { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::size_t capacity() const { return bytes_.capacity(); }
  void reserve(std::size_t n) { bytes_.reserve(n); }
  void clear() { bytes_.clear(); }
  void resize(std::size_t n) { bytes_.resize(n); }

  friend bool operator==(const Buffer& a, std::string_view b) { return a.view() == b; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// A number's digits, held inline: formatting one allocates nothing.
class NumberText {
 public:
  // `value` in base 10 or 16 (lowercase), as HTTP writes lengths and chunk sizes.
  explicit NumberText(std::uint64_t value, unsigned base = 10) {
    do {
      digits_[sizeof digits_ - ++length_] = "0123456789abcdef"[value % base];
      value /= base;
    } while (value != 0);
  }
  std::string_view view() const { return {digits_ + sizeof digits_ - length_, length_}; }

 private:
  char digits_[20];  // 2^64 - 1 has 20 decimal digits
  std::size_t length_ = 0;
};

inline void Buffer::append_number(std::uint64_t value, unsigned base) {
  append(NumberText(value, base).view());
}

}  // namespace paf

#endif
