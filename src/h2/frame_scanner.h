// Finds the frame headers (RFC 9113 §4.1) in a connection's input as it
// arrives, however it is split, so that the session can look at a frame
// before nghttp2 takes it. Only the framing is followed: each header's
// length says where the next one starts; what is inside is nghttp2's.
#ifndef PAF_H2_FRAME_SCANNER_H
#define PAF_H2_FRAME_SCANNER_H

#include <array>
#include <cstddef>
#include <cstdint>

#include "paf/bytes.h"

namespace paf::h2 {

struct FrameHeader {
  std::uint32_t length = 0;
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::int32_t stream_id = 0;  // the reserved bit left out
};

class FrameScanner {
 public:
  static constexpr std::size_t kHeaderSize = 9;

  // `lead` bytes come before the first frame (a server's: the client
  // preface's magic, which nghttp2 checks).
  explicit FrameScanner(std::size_t lead = 0) : skip_(lead) {}

  // Scans `input` from `at` up to and including the byte that completes the
  // next frame header: returns the offset just past that byte, with the
  // header in `header`, or input.size() (and false in `complete`) when no
  // header completes in the rest of `input`. Called on every read: inline,
  // and a header that lies whole in `input` is read where it lies.
  std::size_t scan(Bytes input, std::size_t at, FrameHeader& header, bool& complete) {
    complete = false;
    if (skip_ >= input.size() - at) {
      skip_ -= input.size() - at;
      return input.size();
    }
    at += static_cast<std::size_t>(skip_);
    skip_ = 0;
    const std::uint8_t* bytes = input.data() + at;
    if (have_ == 0 && input.size() - at >= kHeaderSize) {
      at += kHeaderSize;
    } else {
      while (have_ < kHeaderSize && at < input.size()) partial_[have_++] = input[at++];
      if (have_ < kHeaderSize) return input.size();
      have_ = 0;
      bytes = partial_.data();
    }
    header.length = std::uint32_t{bytes[0]} << 16 | std::uint32_t{bytes[1]} << 8 | bytes[2];
    header.type = bytes[3];
    header.flags = bytes[4];
    header.stream_id =
        static_cast<std::int32_t>((std::uint32_t{bytes[5]} << 24 | std::uint32_t{bytes[6]} << 16 |
                                   std::uint32_t{bytes[7]} << 8 | bytes[8]) &
                                  0x7fff'ffffu);
    skip_ = header.length;
    complete = true;
    return at;
  }

 private:
  std::uint64_t skip_;  // bytes before the next header (a payload, or the lead)
  std::array<std::uint8_t, kHeaderSize> partial_{};
  std::size_t have_ = 0;  // bytes of the next header in partial_
};

}  // namespace paf::h2

#endif
