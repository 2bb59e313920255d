// What the HTTP/2 conformance tests share: the fixture that plays the client
// byte by byte (frames built by hand, malformed HPACK written literally, the
// server's frames parsed back) and its helpers. The tests are split by RFC
// section: conformance_*_test.cpp, one test per row of CONFORMANCE.md.
#ifndef PAF_TESTS_H2_CONFORMANCE_H
#define PAF_TESTS_H2_CONFORMANCE_H

#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "driver.h"
#include "echo_handler.h"
#include "frames.h"
#include "paf/h2.h"

namespace paf::conformance {

using namespace paf::testing;

using Settings = std::vector<std::pair<std::uint16_t, std::uint32_t>>;

inline constexpr std::uint32_t kNone = UINT32_MAX;  // no such frame was received
inline constexpr std::uint8_t kPadded = 0x8;
inline constexpr std::uint8_t kPriorityFlag = 0x20;
inline constexpr std::uint32_t kProtocolError = NGHTTP2_PROTOCOL_ERROR;
inline constexpr std::uint32_t kFlowControlError = NGHTTP2_FLOW_CONTROL_ERROR;
inline constexpr std::uint32_t kStreamClosed = NGHTTP2_STREAM_CLOSED;
inline constexpr std::uint32_t kFrameSizeError = NGHTTP2_FRAME_SIZE_ERROR;
inline constexpr std::uint32_t kCompressionError = NGHTTP2_COMPRESSION_ERROR;
inline constexpr std::uint32_t kRefusedStream = NGHTTP2_REFUSED_STREAM;

inline std::string u32(std::uint32_t value) {
  std::string out;
  put32(out, value);
  return out;
}

// A PRIORITY frame's payload, also the priority fields of HEADERS (§6.3).
inline std::string priority_fields(std::uint32_t dependency, std::uint8_t weight = 15) {
  return u32(dependency) + std::string(1, static_cast<char>(weight));
}

// The payload of a PADDED frame: Pad Length, the content, then zeros (§6.1).
inline std::string padded(std::string_view content, std::uint8_t pad_length) {
  return std::string(1, static_cast<char>(pad_length)) + std::string(content) +
         std::string(pad_length, '\0');
}

inline std::string code_name(std::uint32_t code) {
  return code == kNone ? "none" : nghttp2_http2_strerror(code);
}

class Conformance : public ::testing::Test {
 protected:
  // The server, serving with `handler` (the echo handler by default).
  void start(H2Config config = {}, RequestHandler handler = nullptr) {
    if (!handler) handler = echo_handler(&log_);
    connection_ = H2ServerConnection::create(config, std::move(handler), nullptr, driver_.clock());
    driver_.attach(connection_.get());
    driver_.pump();
  }
  // A connection past its start: the client's preface and SETTINGS sent, the
  // server's SETTINGS acknowledged.
  void open(const Settings& settings = {}, H2Config config = {}, RequestHandler handler = nullptr) {
    start(config, std::move(handler));
    send(client_preface(settings) + settings_ack());
  }
  // A server whose handler keeps every request unanswered in `waiting_`.
  void open_holding(H2Config config = {}, const Settings& settings = {}) {
    open(settings, config, [this](Reqd& reqd) { waiting_.push_back(reqd); });
  }
  void send(std::string_view bytes) { driver_.feed(bytes); }
  // Frames in order: a braced list is evaluated left to right, as the HPACK
  // encoder's state needs (the operands of + are not).
  void send(std::initializer_list<std::string> parts) {
    std::string joined;
    for (const std::string& part : parts) joined += part;
    driver_.feed(joined);
  }

  std::string headers(std::uint32_t stream, const Fields& fields, bool end_stream = true) {
    return frame(kHeaders, kEndHeaders | (end_stream ? kEndStream : 0), stream,
                 hpack_.encode(fields));
  }
  std::string get(std::uint32_t stream, std::string_view path = "/") {
    return headers(stream, request_fields("GET", path));
  }
  std::string post(std::uint32_t stream, Fields extra = {}) {
    return headers(stream, request_fields("POST", "/", std::move(extra)), false);
  }

  // Every frame the server wrote so far.
  const std::vector<Frame>& frames() {
    for (Frame& f : reader_.read(driver_.take_output())) frames_.push_back(std::move(f));
    return frames_;
  }
  std::size_t count(std::uint8_t type, std::uint32_t stream) {
    std::size_t n = 0;
    for (const Frame& f : frames()) n += f.type == type && f.stream == stream;
    return n;
  }
  const Frame* last(std::uint8_t type) {
    const std::vector<Frame>& all = frames();
    for (auto f = all.rbegin(); f != all.rend(); ++f)
      if (f->type == type) return &*f;
    return nullptr;
  }
  std::string status(std::uint32_t stream) {
    for (const Frame& f : frames())
      if (f.type == kHeaders && f.stream == stream) return f.field(":status");
    return "";
  }
  std::string body(std::uint32_t stream) {
    std::string data;
    for (const Frame& f : frames())
      if (f.type == kData && f.stream == stream) data += f.payload;
    return data;
  }
  bool ended(std::uint32_t stream) {
    for (const Frame& f : frames())
      if (f.stream == stream && f.end_stream()) return true;
    return false;
  }
  std::uint32_t reset_code(std::uint32_t stream) {
    for (const Frame& f : frames())
      if (f.type == kRstStream && f.stream == stream) return f.error_code();
    return kNone;
  }
  std::uint32_t goaway_code() {
    const Frame* goaway = last(kGoaway);
    return goaway == nullptr ? kNone : goaway->error_code();
  }
  // The last stream the server processed, as its GOAWAY names it (§6.8).
  std::uint32_t goaway_last_stream() {
    const Frame* goaway = last(kGoaway);
    return goaway == nullptr ? kNone : get32(goaway->payload, 0);
  }

  // A connection error (§5.4.1): GOAWAY with `code`, then the connection closes.
  ::testing::AssertionResult connection_error(std::uint32_t code) {
    if (goaway_code() != code)
      return ::testing::AssertionFailure()
             << "GOAWAY " << code_name(goaway_code()) << ", expected " << code_name(code);
    if (!driver_.write_closed() || !connection_->is_closed())
      return ::testing::AssertionFailure() << "GOAWAY sent but the connection stays open";
    return ::testing::AssertionSuccess();
  }
  // A stream error (§5.4.2): RST_STREAM with `code`; the connection goes on.
  ::testing::AssertionResult stream_error(std::uint32_t stream, std::uint32_t code) {
    if (reset_code(stream) != code)
      return ::testing::AssertionFailure()
             << "RST_STREAM " << code_name(reset_code(stream)) << ", expected " << code_name(code);
    if (goaway_code() != kNone)
      return ::testing::AssertionFailure() << "connection error " << code_name(goaway_code());
    return ::testing::AssertionSuccess();
  }
  // The connection still serves: a GET on `stream` is answered in full.
  ::testing::AssertionResult serves(std::uint32_t stream) {
    send(get(stream));
    if (status(stream) != "200" || !ended(stream))
      return ::testing::AssertionFailure() << "stream " << stream << " answered '" << status(stream)
                                           << "'" << (ended(stream) ? "" : ", not ended")
                                           << " (GOAWAY " << code_name(goaway_code()) << ")";
    if (goaway_code() != kNone)
      return ::testing::AssertionFailure() << "connection error " << code_name(goaway_code());
    return ::testing::AssertionSuccess();
  }
  // A malformed request (§8.1.1): a stream error PROTOCOL_ERROR, the handler
  // never sees it, and the connection serves the next stream.
  ::testing::AssertionResult malformed(const std::string& request_frames) {
    send(request_frames);
    if (auto reset = stream_error(1, kProtocolError); !reset) return reset;
    if (!log_.empty()) return ::testing::AssertionFailure() << "the handler saw: " << log_;
    return serves(3);
  }
  ::testing::AssertionResult malformed_fields(const Fields& fields) {
    return malformed(headers(1, fields));
  }

  // What the handlers write to is declared first: it outlives the connection,
  // whose streams may still report to it as they are torn down.
  std::string log_;
  std::vector<Reqd> waiting_;
  Driver driver_;
  std::unique_ptr<H2ServerConnection> connection_;
  HpackEncoder hpack_;
  FrameReader reader_;
  std::vector<Frame> frames_;
};

// A request's fields with one replaced, removed (empty value: none) or added.
inline Fields with(Fields fields, const std::string& name, const std::string& value) {
  for (auto field = fields.begin(); field != fields.end(); ++field)
    if (field->first == name) {
      if (value.empty()) {
        fields.erase(field);
      } else {
        field->second = value;
      }
      return fields;
    }
  fields.emplace_back(name, value);
  return fields;
}

}  // namespace paf::conformance

#endif
