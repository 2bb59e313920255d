// HTTP/2 frames by hand, for tests that play a client byte by byte: a frame
// writer (HPACK by nghttp2's deflater), and a reader of what the server wrote
// (its HPACK by nghttp2's inflater). Independent of the engine under test.
#ifndef PAF_TESTS_H2_FRAMES_H
#define PAF_TESTS_H2_FRAMES_H

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paf::testing {

enum FrameType : std::uint8_t {
  kData = 0,
  kHeaders = 1,
  kPriority = 2,
  kRstStream = 3,
  kSettings = 4,
  kPushPromise = 5,
  kPing = 6,
  kGoaway = 7,
  kWindowUpdate = 8,
  kContinuation = 9,
};
enum FrameFlag : std::uint8_t { kEndStream = 0x1, kAck = 0x1, kEndHeaders = 0x4 };

inline constexpr std::string_view kClientMagic = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

using Fields = std::vector<std::pair<std::string, std::string>>;

inline void put32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((value >> shift) & 0xff));
}
inline std::uint32_t get32(std::string_view in, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<std::uint8_t>(in[at + i]);
  return value;
}

inline std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                         std::string_view payload) {
  std::string out;
  const auto length = static_cast<std::uint32_t>(payload.size());
  out.push_back(static_cast<char>(length >> 16));
  out.push_back(static_cast<char>(length >> 8));
  out.push_back(static_cast<char>(length));
  out.push_back(static_cast<char>(type));
  out.push_back(static_cast<char>(flags));
  put32(out, stream);
  out.append(payload);
  return out;
}

inline std::string settings_frame(
    const std::vector<std::pair<std::uint16_t, std::uint32_t>>& settings) {
  std::string payload;
  for (auto [id, value] : settings) {
    payload.push_back(static_cast<char>(id >> 8));
    payload.push_back(static_cast<char>(id));
    put32(payload, value);
  }
  return frame(kSettings, 0, 0, payload);
}
inline std::string settings_ack() { return frame(kSettings, kAck, 0, ""); }
inline std::string ping_frame(std::string_view opaque = "12345678") {
  return frame(kPing, 0, 0, opaque);
}
inline std::string rst_stream_frame(std::uint32_t stream, std::uint32_t code) {
  std::string payload;
  put32(payload, code);
  return frame(kRstStream, 0, stream, payload);
}
inline std::string window_update_frame(std::uint32_t stream, std::uint32_t increment) {
  std::string payload;
  put32(payload, increment);
  return frame(kWindowUpdate, 0, stream, payload);
}
inline std::string data_frame(std::uint32_t stream, std::string_view data,
                              bool end_stream = false) {
  return frame(kData, end_stream ? kEndStream : 0, stream, data);
}
inline std::string client_preface(
    const std::vector<std::pair<std::uint16_t, std::uint32_t>>& settings = {}) {
  return std::string(kClientMagic) + settings_frame(settings);
}

// HPACK encoding with its own dynamic table, as one client has.
class HpackEncoder {
 public:
  HpackEncoder() { nghttp2_hd_deflate_new(&deflater_, 4096); }
  ~HpackEncoder() { nghttp2_hd_deflate_del(deflater_); }
  HpackEncoder(const HpackEncoder&) = delete;
  HpackEncoder& operator=(const HpackEncoder&) = delete;

  std::string encode(const Fields& fields, bool index = true) {
    std::vector<nghttp2_nv> nva;
    for (const auto& [name, value] : fields)
      nva.push_back(
          {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
           reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
           value.size(),
           static_cast<std::uint8_t>(index ? NGHTTP2_NV_FLAG_NONE : NGHTTP2_NV_FLAG_NO_INDEX)});
    std::string out(nghttp2_hd_deflate_bound(deflater_, nva.data(), nva.size()), '\0');
    auto n = nghttp2_hd_deflate_hd2(deflater_, reinterpret_cast<std::uint8_t*>(out.data()),
                                    out.size(), nva.data(), nva.size());
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
  }

 private:
  nghttp2_hd_deflater* deflater_ = nullptr;
};

// HPACK integer with an n-bit prefix (RFC 7541 §5.1).
inline std::string hpack_integer(std::uint8_t first, int prefix_bits, std::size_t value) {
  const std::size_t limit = (1u << prefix_bits) - 1;
  std::string out;
  if (value < limit) return out += static_cast<char>(first | value), out;
  out += static_cast<char>(first | limit);
  for (value -= limit; value >= 128; value >>= 7) out += static_cast<char>(0x80 | (value & 0x7f));
  return out += static_cast<char>(value), out;
}

// A literal field with incremental indexing and a new name (RFC 7541 §6.2.1),
// however large (nghttp2's encoder would not index a large one).
inline std::string literal_with_indexing(std::string_view name, std::string_view value) {
  return hpack_integer(0x40, 6, 0) + hpack_integer(0, 7, name.size()) + std::string(name) +
         hpack_integer(0, 7, value.size()) + std::string(value);
}

// A literal field without indexing and with a new name (RFC 7541 §6.2.2),
// its bytes as given: a way to send what an encoder would refuse.
inline std::string literal_without_indexing(std::string_view name, std::string_view value) {
  return hpack_integer(0x00, 4, 0) + hpack_integer(0, 7, name.size()) + std::string(name) +
         hpack_integer(0, 7, value.size()) + std::string(value);
}

inline Fields request_fields(std::string_view method, std::string_view path, Fields extra = {}) {
  Fields fields = {{":method", std::string(method)},
                   {":scheme", "https"},
                   {":authority", "example.test"},
                   {":path", std::string(path)}};
  for (auto& field : extra) fields.push_back(std::move(field));
  return fields;
}

struct Frame {
  std::uint8_t type = 0, flags = 0;
  std::uint32_t stream = 0;
  std::string payload;
  Fields fields;  // HEADERS, decoded

  bool end_stream() const {
    return (flags & kEndStream) != 0 && (type == kData || type == kHeaders);
  }
  std::uint32_t error_code() const {  // RST_STREAM and GOAWAY
    return type == kRstStream ? get32(payload, 0) : type == kGoaway ? get32(payload, 4) : 0;
  }
  std::string field(std::string_view name) const {
    for (const auto& [n, v] : fields)
      if (n == name) return v;
    return {};
  }
};

// Parses what a server wrote, across calls (frames may arrive in pieces).
class FrameReader {
 public:
  FrameReader() { nghttp2_hd_inflate_new(&inflater_); }
  ~FrameReader() { nghttp2_hd_inflate_del(inflater_); }
  FrameReader(const FrameReader&) = delete;
  FrameReader& operator=(const FrameReader&) = delete;

  std::vector<Frame> read(std::string_view bytes) {
    buffer_.append(bytes);
    std::vector<Frame> frames;
    while (buffer_.size() >= 9) {
      const std::size_t length = (static_cast<std::uint8_t>(buffer_[0]) << 16) |
                                 (static_cast<std::uint8_t>(buffer_[1]) << 8) |
                                 static_cast<std::uint8_t>(buffer_[2]);
      if (buffer_.size() < 9 + length) break;
      Frame frame{static_cast<std::uint8_t>(buffer_[3]),
                  static_cast<std::uint8_t>(buffer_[4]),
                  get32(buffer_, 5) & 0x7fffffff,
                  buffer_.substr(9, length),
                  {}};
      buffer_.erase(0, 9 + length);
      if (frame.type == kHeaders) frame.fields = decode(frame.payload);
      frames.push_back(std::move(frame));
    }
    return frames;
  }

 private:
  Fields decode(std::string_view block) {
    Fields fields;
    auto* in = reinterpret_cast<const std::uint8_t*>(block.data());
    std::size_t left = block.size();
    for (;;) {
      nghttp2_nv nv;
      int flags = 0;
      auto n = nghttp2_hd_inflate_hd3(inflater_, &nv, &flags, in, left, 1);
      if (n < 0) return fields;
      in += n;
      left -= static_cast<std::size_t>(n);
      if (flags & NGHTTP2_HD_INFLATE_EMIT)
        fields.emplace_back(std::string(reinterpret_cast<char*>(nv.name), nv.namelen),
                            std::string(reinterpret_cast<char*>(nv.value), nv.valuelen));
      if (flags & NGHTTP2_HD_INFLATE_FINAL) {
        nghttp2_hd_inflate_end_headers(inflater_);
        return fields;
      }
      if (n == 0 && left == 0) return fields;
    }
  }

  nghttp2_hd_inflater* inflater_ = nullptr;
  std::string buffer_;
};

}  // namespace paf::testing

#endif
