// paf::Buffer: the one owned, growable byte buffer (and owned string) of paf.
// Freestanding code has no std::string; a Buffer holds text or bytes alike, and
// moving one never copies or moves its contents (views of it stay valid). A
// Buffer may also borrow static bytes, to send them without a copy.
#ifndef PAF_BUFFER_H
#define PAF_BUFFER_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/bytes.h"

namespace paf {

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

namespace detail {

// An allocator whose value-less construct leaves a byte as it is: a vector of
// them grows without zeroing what is about to be written over.
// (Constructions with a value fall back to std::construct_at.)
template <typename T>
struct UninitializedAllocator : std::allocator<T> {
  UninitializedAllocator() = default;
  template <typename U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* at) noexcept {
    ::new (static_cast<void*>(at)) U;
  }
};

}  // namespace detail

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(std::string_view text) { append(text); }
  explicit Buffer(Bytes bytes) { append(bytes); }
  Buffer(const Buffer&) = default;
  Buffer& operator=(const Buffer&) = default;
  // A Buffer moved from is empty, whether it owned its bytes or borrowed them.
  Buffer(Buffer&& other) noexcept
      : bytes_(std::move(other.bytes_)),
        borrowed_(other.borrowed_),
        is_borrowed_(std::exchange(other.is_borrowed_, false)) {}
  Buffer& operator=(Buffer&& other) noexcept {
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
    borrowed_ = other.borrowed_;
    is_borrowed_ = std::exchange(other.is_borrowed_, false);
    return *this;
  }

  // A Buffer over bytes it does not own, which must outlive it and every
  // Buffer moved from it: static data, such as files built into an image.
  // Queued and written without a copy; the first change copies them into
  // storage of its own.
  static Buffer borrow(Bytes bytes) {
    Buffer buffer;
    buffer.borrowed_ = bytes;
    buffer.is_borrowed_ = true;
    return buffer;
  }
  bool is_borrowed() const { return is_borrowed_; }

  void append(std::string_view text) {
    append(Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  // `bytes` may be a view of this buffer's own.
  void append(Bytes bytes) {
    if (bytes.empty()) return;
    Storage& storage = own();
    const std::size_t at = storage.size();
    const std::uint8_t* base = storage.data();
    const bool own_bytes = base != nullptr && std::greater_equal<>()(bytes.data(), base) &&
                           std::less<>()(bytes.data(), base + at);
    const std::size_t from = own_bytes ? static_cast<std::size_t>(bytes.data() - base) : 0;
    storage.resize(at + bytes.size());  // grows geometrically, as insert would; not zeroed
    std::memcpy(storage.data() + at, own_bytes ? storage.data() + from : bytes.data(), bytes.size());
  }
  void append(char c) { own().push_back(static_cast<std::uint8_t>(c)); }
  // `value` in base 10 or 16 (lowercase), as HTTP writes lengths and chunk sizes.
  void append_number(std::uint64_t value, unsigned base = 10);

  std::string_view view() const {
    Bytes contents = bytes();
    return {reinterpret_cast<const char*>(contents.data()), contents.size()};
  }
  Bytes bytes() const { return is_borrowed_ ? borrowed_ : Bytes(bytes_); }
  std::uint8_t* data() { return own().data(); }
  std::size_t size() const { return is_borrowed_ ? borrowed_.size() : bytes_.size(); }
  bool empty() const { return size() == 0; }
  std::size_t capacity() const { return bytes_.capacity(); }
  void reserve(std::size_t n) { own().reserve(n); }
  void clear() {
    is_borrowed_ = false;
    bytes_.clear();
  }
  // New bytes are zero.
  void resize(std::size_t n) {
    Storage& storage = own();
    const std::size_t old_size = storage.size();
    storage.resize(n);
    if (n > old_size) std::memset(storage.data() + old_size, 0, n - old_size);
  }

  friend bool operator==(const Buffer& a, std::string_view b) { return a.view() == b; }

 private:
  // The storage, after copying borrowed bytes into it.
  using Storage = std::vector<std::uint8_t, detail::UninitializedAllocator<std::uint8_t>>;
  Storage& own() {
    if (is_borrowed_) {
      is_borrowed_ = false;
      bytes_.assign(borrowed_.begin(), borrowed_.end());
    }
    return bytes_;
  }

  Storage bytes_;
  Bytes borrowed_;
  bool is_borrowed_ = false;
};

inline void Buffer::append_number(std::uint64_t value, unsigned base) {
  append(NumberText(value, base).view());
}

}  // namespace paf

#endif
