// Conformance of the HTTP/2 server to RFC 9113 §§4–8 and RFC 7541 (HPACK):
// one test per requirement a server can be tested on, each the row of the
// checklist in tests/h2/CONFORMANCE.md. The client is played byte by byte:
// frames built by hand (frames.h), malformed HPACK written literally, and the
// server's frames parsed back to check the exact error codes.
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

namespace paf {
namespace {

using namespace paf::testing;

using Settings = std::vector<std::pair<std::uint16_t, std::uint32_t>>;

constexpr std::uint32_t kNone = UINT32_MAX;  // no such frame was received
constexpr std::uint8_t kPadded = 0x8;
constexpr std::uint8_t kPriorityFlag = 0x20;
constexpr std::uint32_t kProtocolError = NGHTTP2_PROTOCOL_ERROR;
constexpr std::uint32_t kFlowControlError = NGHTTP2_FLOW_CONTROL_ERROR;
constexpr std::uint32_t kStreamClosed = NGHTTP2_STREAM_CLOSED;
constexpr std::uint32_t kFrameSizeError = NGHTTP2_FRAME_SIZE_ERROR;
constexpr std::uint32_t kCompressionError = NGHTTP2_COMPRESSION_ERROR;
constexpr std::uint32_t kRefusedStream = NGHTTP2_REFUSED_STREAM;

std::string u32(std::uint32_t value) {
  std::string out;
  put32(out, value);
  return out;
}

// A PRIORITY frame's payload, also the priority fields of HEADERS (§6.3).
std::string priority_fields(std::uint32_t dependency, std::uint8_t weight = 15) {
  return u32(dependency) + std::string(1, static_cast<char>(weight));
}

// The payload of a PADDED frame: Pad Length, the content, then zeros (§6.1).
std::string padded(std::string_view content, std::uint8_t pad_length) {
  return std::string(1, static_cast<char>(pad_length)) + std::string(content) +
         std::string(pad_length, '\0');
}

std::string code_name(std::uint32_t code) {
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
Fields with(Fields fields, const std::string& name, const std::string& value) {
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

// --- §3.4 the preface -----------------------------------------------------------------

TEST_F(Conformance, RFC9113_3_4_PrefaceNotFollowedBySettingsIsProtocolError) {
  start();
  send(std::string(kClientMagic) + ping_frame());
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §4.1 frame format --------------------------------------------------------------

TEST_F(Conformance, RFC9113_4_1_UndefinedFlagsAreIgnored) {
  open();
  send(frame(kPing, 0xfe, 0, "abcdefgh"));  // every flag but ACK
  const Frame* ping = last(kPing);
  ASSERT_NE(ping, nullptr);
  EXPECT_EQ(ping->flags, kAck);
  EXPECT_EQ(ping->payload, "abcdefgh");
  // HEADERS with every undefined flag (not PADDED, not PRIORITY) set.
  send(frame(kHeaders, kEndHeaders | kEndStream | 0xd2, 1,
             hpack_.encode(request_fields("GET", "/"))));
  EXPECT_EQ(status(1), "200");
  EXPECT_EQ(goaway_code(), kNone);
}

TEST_F(Conformance, RFC9113_4_1_ReservedBitOfTheStreamIdIsIgnored) {
  open();
  send(frame(kHeaders, kEndHeaders | kEndStream, 0x80000001u,
             hpack_.encode(request_fields("GET", "/"))));
  EXPECT_EQ(status(1), "200");
  EXPECT_TRUE(ended(1));
}

TEST_F(Conformance, RFC9113_4_1_SentFramesHaveTheReservedBitUnset) {
  open();
  send(get(1) + ping_frame());
  const std::string raw = driver_.output();
  std::size_t seen = 0;
  for (std::size_t at = 0; at + 9 <= raw.size() && seen < 100; ++seen) {
    const std::size_t length = (static_cast<std::uint8_t>(raw[at]) << 16) |
                               (static_cast<std::uint8_t>(raw[at + 1]) << 8) |
                               static_cast<std::uint8_t>(raw[at + 2]);
    EXPECT_EQ(static_cast<std::uint8_t>(raw[at + 5]) & 0x80, 0) << "frame " << seen;
    at += 9 + length;
  }
  EXPECT_GE(seen, 4u);  // SETTINGS, its ACK, HEADERS, DATA, PING
}

TEST_F(Conformance, RFC9113_4_1_UnknownFrameTypesAreIgnored) {
  open();
  send(frame(0xfa, 0x3, 0, "extension") + frame(0xfb, 0, 1, "x") + get(1));
  EXPECT_EQ(status(1), "200");
  EXPECT_EQ(goaway_code(), kNone);
}

// --- §4.2 frame size ------------------------------------------------------------------

TEST_F(Conformance, RFC9113_4_2_DataLargerThanMaxFrameSizeIsFrameSizeError) {
  open();
  send(post(1) + data_frame(1, std::string(16385, 'x')));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

TEST_F(Conformance, RFC9113_4_2_HeadersLargerThanMaxFrameSizeIsConnectionFrameSizeError) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/"), false) +
                      literal_without_indexing("x-large", std::string(16400, 'l'));
  send(frame(kHeaders, kEndHeaders | kEndStream, 1, block));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

TEST_F(Conformance, RFC9113_4_2_ServerFramesFitThePeersMaxFrameSize) {
  open({}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {}}, std::string(40000, 'b'));
  });
  send(get(1));
  EXPECT_EQ(body(1).size(), 40000u);
  for (const Frame& f : frames()) EXPECT_LE(f.payload.size(), 16384u);
  EXPECT_GE(count(kData, 1), 3u);
}

// --- §4.3 field blocks ------------------------------------------------------------------

TEST_F(Conformance, RFC9113_4_3_UndecodableFieldBlockIsCompressionError) {
  open();
  // A literal whose name claims 10 bytes and has 2: the block ends mid-field.
  send(frame(kHeaders, kEndHeaders | kEndStream, 1, std::string("\x00\x0a", 2) + "ab"));
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Conformance, RFC9113_4_3_FieldBlockInterruptedByAnotherFrameIsProtocolError) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndStream, 1, block.substr(0, 4)) +
       frame(kPriority, 0, 1, priority_fields(0)) +
       frame(kContinuation, kEndHeaders, 1, block.substr(4)));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_4_3_FieldBlockInterruptedByAnotherStreamIsProtocolError) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndStream, 1, block.substr(0, 4)) + get(3));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_4_3_FieldBlockOfARefusedStreamStillUpdatesTheDecoder) {
  H2Config config;
  config.max_concurrent_streams = 1;
  std::vector<std::string> tokens;
  start(config, [&](Reqd& reqd) {
    tokens.emplace_back(reqd.request().headers.get("x-token").value_or("none"));
    waiting_.push_back(reqd);
  });
  // Before the client acknowledges the limit, a second stream is refused...
  send({client_preface(), get(1),
        headers(3, request_fields("GET", "/", {{"x-token", "first-seen-on-3"}}))});
  EXPECT_EQ(reset_code(3), kRefusedStream);
  ASSERT_EQ(waiting_.size(), 1u);
  (void)waiting_[0].respond_with_string({200, {}}, "");
  waiting_.clear();
  driver_.pump();
  // ...but its fields entered the dynamic table: stream 5 refers to them.
  send(headers(5, request_fields("GET", "/", {{"x-token", "first-seen-on-3"}})));
  EXPECT_EQ(tokens, (std::vector<std::string>{"none", "first-seen-on-3"}));
  EXPECT_EQ(goaway_code(), kNone);
}

// --- §5.1 stream states -------------------------------------------------------------------

TEST_F(Conformance, RFC9113_5_1_DataOnIdleStreamIsProtocolError) {
  open();
  send(data_frame(1, "x"));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_5_1_RstStreamOnIdleStreamIsProtocolError) {
  open();
  send(rst_stream_frame(1, NGHTTP2_CANCEL));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_5_1_WindowUpdateOnIdleStreamIsProtocolError) {
  open();
  send(window_update_frame(1, 100));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_5_1_ContinuationOnIdleStreamIsProtocolError) {
  open();
  send(frame(kContinuation, kEndHeaders, 1, hpack_.encode(request_fields("GET", "/"))));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_5_1_PriorityOnIdleStreamIsAllowed) {
  open();
  send(frame(kPriority, 0, 5, priority_fields(0)) + get(3));
  EXPECT_EQ(status(3), "200");
  EXPECT_EQ(goaway_code(), kNone);
}

TEST_F(Conformance, RFC9113_5_1_DataOnHalfClosedRemoteStreamIsStreamClosed) {
  open_holding();
  send(get(1) + data_frame(1, "late"));
  EXPECT_EQ(waiting_.size(), 1u);
  EXPECT_TRUE(connection_error(kStreamClosed));
}

TEST_F(Conformance, RFC9113_5_1_HeadersOnHalfClosedRemoteStreamIsStreamClosed) {
  open_holding();
  send({get(1), headers(1, {{"x-trailer", "late"}})});
  EXPECT_EQ(waiting_.size(), 1u);
  EXPECT_TRUE(connection_error(kStreamClosed));
}

TEST_F(Conformance, RFC9113_5_1_WindowUpdatePriorityOnHalfClosedRemoteStreamAreAllowed) {
  open_holding();
  send(get(1) + window_update_frame(1, 100) + frame(kPriority, 0, 1, priority_fields(0)));
  ASSERT_EQ(waiting_.size(), 1u);
  (void)waiting_[0].respond_with_string({200, {}}, "ok");
  driver_.pump();
  EXPECT_EQ(body(1), "ok");
  EXPECT_TRUE(ended(1));
  EXPECT_EQ(goaway_code(), kNone);
}

// §5.1 closed: a stream the client ended (END_STREAM), and the server
// answered. Another DATA or HEADERS from the client on it is a connection
// error STREAM_CLOSED (RFC 7540 §5.1's MUST; RFC 9113 keeps it as a MAY).
TEST_F(Conformance, RFC9113_5_1_DataAfterTheClientEndedTheStreamIsAConnectionError) {
  open();
  send(get(1));
  ASSERT_TRUE(ended(1));
  send(window_update_frame(1, 10) + frame(kPriority, 0, 1, priority_fields(0)));  // allowed
  EXPECT_EQ(goaway_code(), kNone);
  send(data_frame(1, "late"));
  EXPECT_TRUE(connection_error(kStreamClosed));
  EXPECT_EQ(goaway_last_stream(), 1u);
}

TEST_F(Conformance, RFC9113_5_1_HeadersAfterTheClientEndedTheStreamIsAConnectionError) {
  open();
  send(get(1));
  ASSERT_TRUE(ended(1));
  send(headers(1, {{"x-trailer", "late"}}));
  EXPECT_TRUE(connection_error(kStreamClosed));
}

// The same, a byte at a time: the frame is judged on its header whatever the split.
TEST_F(Conformance, RFC9113_5_1_DataAfterTheClientEndedTheStreamIsAConnectionErrorOneByteAtATime) {
  open();
  for (const char byte : get(1) + data_frame(1, "late")) send(std::string_view(&byte, 1));
  EXPECT_TRUE(connection_error(kStreamClosed));
  EXPECT_EQ(status(1), "200");
}

// §5.1 closed by the client's RST_STREAM: DATA or HEADERS after it is a
// stream error STREAM_CLOSED, answered once; the connection goes on.
TEST_F(Conformance, RFC9113_5_1_DataAfterTheClientResetTheStreamIsAStreamError) {
  open();
  send(post(1));
  send(rst_stream_frame(1, NGHTTP2_CANCEL));
  EXPECT_EQ(count(kRstStream, 1), 0u);  // a reset is never answered with a reset (§5.4.2)
  send(data_frame(1, "late"));
  EXPECT_TRUE(stream_error(1, kStreamClosed));
  send(data_frame(1, "later"));  // the server reset it now: ignored
  EXPECT_EQ(count(kRstStream, 1), 1u);
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_5_1_HeadersAfterTheClientResetTheStreamIsAStreamErrorAndStillDecoded) {
  std::vector<std::string> tokens;
  open({}, {}, [&](Reqd& reqd) {
    tokens.emplace_back(reqd.request().headers.get("x-token").value_or("none"));
    if (reqd.request().method != Method::GET) return waiting_.push_back(reqd);
    (void)reqd.respond_with_string({200, {}}, "ok");
  });
  send(post(1));
  send(rst_stream_frame(1, NGHTTP2_CANCEL));
  send(headers(1, {{"x-token", "decoded-on-closed-1"}}));
  EXPECT_TRUE(stream_error(1, kStreamClosed));
  // The late field block was decoded all the same: stream 3 refers to its entry.
  send(headers(3, request_fields("GET", "/", {{"x-token", "decoded-on-closed-1"}})));
  EXPECT_EQ(tokens, (std::vector<std::string>{"none", "decoded-on-closed-1"}));
  EXPECT_EQ(status(3), "200");
}

// Both sides ended the stream, then the client reset it: what follows is the
// reset's stream error, not a connection error.
TEST_F(Conformance, RFC9113_5_1_AResetAfterTheResponseMakesLateDataAStreamError) {
  open();
  send(get(1));
  ASSERT_TRUE(ended(1));
  send(rst_stream_frame(1, NGHTTP2_CANCEL));
  send(data_frame(1, "late"));
  EXPECT_TRUE(stream_error(1, kStreamClosed));
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_5_1_AResetAfterTheResponseMakesLateHeadersAStreamError) {
  open();
  send(get(1));
  ASSERT_TRUE(ended(1));
  send(rst_stream_frame(1, NGHTTP2_CANCEL));
  send(headers(1, {{"x-trailer", "late"}}));
  EXPECT_TRUE(stream_error(1, kStreamClosed));
  EXPECT_TRUE(serves(3));
}

// The same frames in one read: the stream opens, is reset and gets its late
// HEADERS before nghttp2 has seen any of them.
TEST_F(Conformance, RFC9113_5_1_OpenResetAndLateHeadersInOneReadAreAStreamError) {
  open();
  send({get(1), rst_stream_frame(1, NGHTTP2_CANCEL), headers(1, {{"x-trailer", "late"}})});
  EXPECT_TRUE(stream_error(1, kStreamClosed));
  EXPECT_TRUE(serves(3));
}

// §5.1 closed by the server's RST_STREAM while the client was still sending:
// what it had on its way MUST be ignored (once its field blocks are decoded,
// §4.3), and its DATA still counts against the connection's window (§6.9).
TEST_F(Conformance, RFC9113_5_1_FramesAfterTheServerResetTheStreamAreIgnoredOnceDecoded) {
  std::vector<std::string> tokens;
  open({}, {}, [&](Reqd& reqd) {
    tokens.emplace_back(reqd.request().headers.get("x-token").value_or("none"));
    if (reqd.request().method != Method::GET) return waiting_.push_back(reqd);
    (void)reqd.respond_with_string({200, {}}, "ok");
  });
  // Longer than its Content-Length: malformed, the server resets it (§8.1.1).
  send(post(1, {{"content-length", "1"}}) + data_frame(1, "too long"));
  ASSERT_EQ(reset_code(1), kProtocolError);
  send(data_frame(1, "late") + window_update_frame(1, 10) +
       frame(kPriority, 0, 1, priority_fields(0)) +
       headers(1, {{"x-token", "decoded-on-closed-1"}}) + rst_stream_frame(1, NGHTTP2_CANCEL));
  EXPECT_EQ(goaway_code(), kNone);
  EXPECT_EQ(count(kRstStream, 1), 1u);
  send(headers(3, request_fields("GET", "/", {{"x-token", "decoded-on-closed-1"}})));
  EXPECT_EQ(tokens.back(), "decoded-on-closed-1");
  EXPECT_EQ(status(3), "200");
}

// §6.1: DATA on a stream that is neither open nor half-closed (local) is a
// stream error STREAM_CLOSED, even on a stream closed before the record of
// closings reaches back (§5.1 lets the grace after a reset end): the
// client's stream 1, then 40 more.
TEST_F(Conformance, RFC9113_6_1_DataOnAStreamClosedLongAgoIsAStreamError) {
  open();
  for (std::uint32_t id = 1; id <= 81; id += 2) send(get(id));
  ASSERT_EQ(status(81), "200");
  send(data_frame(1, "late"));
  EXPECT_TRUE(stream_error(1, kStreamClosed));
  send(headers(1, {{"x-trailer", "late"}}));  // a closed stream's HEADERS: ignored (a MAY)
  EXPECT_TRUE(serves(83));
}

// A skipped id was closed by the first use of a higher one (§5.1.1): DATA on
// it is the same stream error.
TEST_F(Conformance, RFC9113_6_1_DataOnASkippedStreamIsAStreamError) {
  open();
  send({get(1), get(5)});
  send(data_frame(3, "late"));
  EXPECT_TRUE(stream_error(3, kStreamClosed));
  EXPECT_TRUE(serves(7));
}

// Each such DATA costs the client a frame and the server one RST_STREAM: a
// client that sends them without reading its answers is cut off.
TEST_F(Conformance, RFC9113_6_1_LateDataFloodIsEnhanceYourCalm) {
  H2Config config;
  config.max_outbound_acks = 100;
  open({}, config);
  send({get(1), get(1001)});  // 3 to 999 skipped: closed
  std::string flood;
  for (std::uint32_t id = 3; id < 1001; id += 2) flood += data_frame(id, "x");
  send(flood);
  EXPECT_TRUE(connection_error(NGHTTP2_ENHANCE_YOUR_CALM));
}

// --- §5.1.1 stream identifiers ---------------------------------------------------------------

TEST_F(Conformance, RFC9113_5_1_1_EvenStreamIdFromTheClientIsProtocolError) {
  open();
  send(get(2));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// Stream 5's first use closed the idle stream 3: a HEADERS cannot open it.
TEST_F(Conformance, RFC9113_5_1_1_StreamIdLowerThanThePreviousIsProtocolError) {
  open();
  send({get(5), get(3)});
  EXPECT_TRUE(connection_error(kProtocolError));
  // Stream 5 was processed, stream 3 never reached the handler. Stream 5's
  // response, submitted in the same read, is not sent: once terminating,
  // nghttp2 sends nothing more on any stream.
  EXPECT_EQ(goaway_last_stream(), 5u);
  EXPECT_EQ(log_, "GET /\n");
}

TEST_F(Conformance, RFC9113_5_1_1_StreamIdLowerThanThePreviousIsProtocolErrorOneByteAtATime) {
  open();
  std::string input;
  for (const std::string& part : {get(5), get(3)}) input += part;
  for (const char byte : input) send(std::string_view(&byte, 1));
  EXPECT_TRUE(connection_error(kProtocolError));
  EXPECT_EQ(goaway_last_stream(), 5u);
  EXPECT_EQ(status(5), "200");  // answered before stream 3's HEADERS came
  EXPECT_EQ(log_, "GET /\n");
}

TEST_F(Conformance, RFC9113_5_1_1_SkippedStreamIdUsedLaterIsProtocolError) {
  open();
  send({get(1), get(7)});
  EXPECT_EQ(status(7), "200");
  send(get(3));
  EXPECT_TRUE(connection_error(kProtocolError));
  EXPECT_EQ(goaway_last_stream(), 7u);
  EXPECT_EQ(log_, "GET /\nGET /\n");
}

// With PADDED or PRIORITY, nghttp2 reports the frame's beginning before it
// reads those fields (another path through it): the error comes all the same.
TEST_F(Conformance, RFC9113_5_1_1_SkippedStreamIdWithPaddingAndPriorityIsProtocolError) {
  open();
  send({get(1), get(7)});
  std::string block = priority_fields(0, 200) + hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndHeaders | kEndStream | kPadded | kPriorityFlag, 5, padded(block, 7)));
  EXPECT_TRUE(connection_error(kProtocolError));
  EXPECT_EQ(goaway_last_stream(), 7u);
}

TEST_F(Conformance, RFC9113_5_1_1_ConsecutiveStreamIdsAreServed) {
  open();
  send({get(1), get(3), get(5)});
  EXPECT_EQ(status(1) + status(3) + status(5), "200200200");
  EXPECT_EQ(goaway_code(), kNone);
}

// A HEADERS on an id the client used and ended opens no new stream (§5.1.1),
// nor can it be a trailer (the client ended that stream): a connection error
// STREAM_CLOSED (§5.1), wherever the id lies below the highest.
TEST_F(Conformance, RFC9113_5_1_1_HeadersReusingAnEndedStreamIdIsAConnectionError) {
  open();
  send({get(1), get(5)});  // 3 skipped
  ASSERT_TRUE(ended(1) && ended(5));
  send(get(7));
  send(headers(1, {{"x-trailer", "late"}}));
  EXPECT_TRUE(connection_error(kStreamClosed));
  EXPECT_EQ(goaway_last_stream(), 7u);
  EXPECT_EQ(log_, "GET /\nGET /\nGET /\n");
}

// PRIORITY may name an idle stream (§5.1), a skipped one too, and opens nothing.
TEST_F(Conformance, RFC9113_5_1_1_PriorityOnASkippedStreamIdIsAllowed) {
  open();
  send({get(1), get(5), frame(kPriority, 0, 3, priority_fields(0))});
  EXPECT_EQ(goaway_code(), kNone);
  EXPECT_TRUE(serves(7));
  send(get(3));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// A refused stream was used: its id is no gap, and a late HEADERS on it (the
// client had not yet seen the RST_STREAM) is ignored like any closed stream's.
TEST_F(Conformance, RFC9113_5_1_1_RefusedStreamIdIsUsedNotSkipped) {
  H2Config config;
  config.max_concurrent_streams = 1;
  start(config, [this](Reqd& reqd) { waiting_.push_back(reqd); });
  send({client_preface(), get(1), post(3)});
  EXPECT_EQ(reset_code(3), kRefusedStream);
  ASSERT_EQ(waiting_.size(), 1u);
  (void)waiting_[0].respond_with_string({200, {}}, "");
  waiting_.clear();
  driver_.pump();
  send({get(5), headers(3, {{"x-trailer", "late"}}), data_frame(3, "late")});
  EXPECT_EQ(goaway_code(), kNone);
  EXPECT_EQ(count(kRstStream, 3), 1u);  // the refusal only: what follows it is ignored
  ASSERT_EQ(waiting_.size(), 1u);
  (void)waiting_[0].respond_with_string({200, {}}, "five");
  waiting_.clear();
  driver_.pump();
  EXPECT_EQ(body(5), "five");
  EXPECT_EQ(goaway_code(), kNone);
}

// paf remembers the latest 64 skipped ranges, so that a client cannot grow the
// connection's memory: a HEADERS in an older range is ignored, as nghttp2 alone
// would do.
TEST_F(Conformance, RFC9113_5_1_1_OnlyTheLatestSkippedRangesAreRemembered) {
  open();
  send(get(1));
  for (std::uint32_t id = 5; id <= 1 + 4 * 65; id += 4) send(get(id));  // skips 3, 7, ..., 259
  EXPECT_EQ(count(kHeaders, 1 + 4 * 65), 1u);
  ASSERT_EQ(goaway_code(), kNone);
  send(get(3));  // the oldest range, forgotten
  EXPECT_EQ(status(3), "");
  EXPECT_EQ(goaway_code(), kNone);
  send(get(7));  // remembered
  EXPECT_TRUE(connection_error(kProtocolError));
  EXPECT_EQ(goaway_last_stream(), 1u + 4 * 65);
}

// --- §5.1.2 stream concurrency ------------------------------------------------------------------

TEST_F(Conformance, RFC9113_5_1_2_StreamOverTheUnacknowledgedLimitIsRefused) {
  H2Config config;
  config.max_concurrent_streams = 1;
  start(config, [this](Reqd& reqd) { waiting_.push_back(reqd); });
  send({client_preface(), get(1), get(3)});
  EXPECT_TRUE(stream_error(3, kRefusedStream));
  EXPECT_EQ(waiting_.size(), 1u);  // the refused request was not processed (§8.7)
}

TEST_F(Conformance, RFC9113_5_1_2_StreamOverTheAcknowledgedLimitIsProtocolError) {
  H2Config config;
  config.max_concurrent_streams = 1;
  open_holding(config);
  send({get(1), get(3)});
  EXPECT_EQ(waiting_.size(), 1u);
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §5.3.1 priority (deprecated, still parsed) -------------------------------------------------

TEST_F(Conformance, RFC9113_5_3_1_HeadersDependingOnItselfIsProtocolError) {
  open();
  send(frame(kHeaders, kEndHeaders | kEndStream | kPriorityFlag, 1,
             priority_fields(1) + hpack_.encode(request_fields("GET", "/"))));
  EXPECT_TRUE(connection_error(kProtocolError));
  EXPECT_EQ(log_, "");
}

TEST_F(Conformance, RFC9113_5_3_1_PriorityDependingOnItselfIsProtocolError) {
  open();
  send(frame(kPriority, 0, 1, priority_fields(1)));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §5.4 error handling -------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_5_4_1_ConnectionErrorSendsGoawayWithTheLastStreamThenCloses) {
  open();
  send({get(1), get(3)});
  send(frame(kPing, 0, 0, "short"));  // 5 bytes: FRAME_SIZE_ERROR
  const Frame* goaway = last(kGoaway);
  ASSERT_NE(goaway, nullptr);
  EXPECT_EQ(get32(goaway->payload, 0), 3u);  // the last stream the server acted on
  EXPECT_TRUE(connection_error(kFrameSizeError));
  EXPECT_TRUE(driver_.read_closed());
}

TEST_F(Conformance, RFC9113_5_4_2_StreamErrorLeavesTheConnectionServing) {
  open();
  send(headers(1, with(request_fields("GET", "/"), ":path", "")));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_5_4_2_RstStreamIsNeverAnsweredWithRstStream) {
  open_holding();
  send(post(1) + rst_stream_frame(1, NGHTTP2_CANCEL));
  ASSERT_EQ(waiting_.size(), 1u);
  EXPECT_EQ(reset_code(1), kNone);
  // A response after the reset is not sent either (§6.4).
  EXPECT_FALSE(waiting_[0].respond_with_string({200, {}}, "too late"));
  driver_.pump();
  EXPECT_EQ(count(kHeaders, 1) + count(kData, 1) + count(kRstStream, 1), 0u);
  EXPECT_EQ(goaway_code(), kNone);
}

// --- §5.5 extending HTTP/2
// -------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_5_5_UnknownSettingIsIgnored) {
  open({{0xff01, 7}});
  EXPECT_EQ(count(kSettings, 0), 2u);  // the server's SETTINGS and its ACK of the client's
  EXPECT_EQ(last(kSettings)->flags, kAck);
  EXPECT_TRUE(serves(1));
}

TEST_F(Conformance, RFC9113_5_5_UnknownFrameInsideAFieldBlockIsProtocolError) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndStream, 1, block.substr(0, 4)) + frame(0xfa, 0, 1, "ext") +
       frame(kContinuation, kEndHeaders, 1, block.substr(4)));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §6.1 DATA
// --------------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_1_DataOnStreamZeroIsProtocolError) {
  open();
  send(data_frame(0, "x"));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_1_PaddedDataDeliversOnlyTheData) {
  open();
  send(post(1) + frame(kData, kPadded | kEndStream, 1, padded("abc", 10)));
  EXPECT_EQ(log_, "POST /\ndata abc\nend\n");
  EXPECT_EQ(body(1), "abc");
}

TEST_F(Conformance, RFC9113_6_1_DataPadLengthNotShorterThanThePayloadIsProtocolError) {
  open();
  send(post(1) + frame(kData, kPadded, 1, std::string(1, '\x05') + "abcd"));  // 5 >= 5
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §6.2 HEADERS
// ---------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_2_HeadersOnStreamZeroIsProtocolError) {
  open();
  send(get(0));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_2_PaddedHeadersWithPriorityAreServed) {
  open();
  std::string block = priority_fields(0, 200) + hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndHeaders | kEndStream | kPadded | kPriorityFlag, 1, padded(block, 7)));
  EXPECT_EQ(status(1), "200");
  EXPECT_EQ(log_, "GET /\n");
}

TEST_F(Conformance, RFC9113_6_2_HeadersPadLengthNotShorterThanThePayloadIsProtocolError) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  const auto pad = static_cast<char>(block.size() + 1);
  send(frame(kHeaders, kEndHeaders | kEndStream | kPadded, 1, std::string(1, pad) + block));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §6.3 PRIORITY
// --------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_3_PriorityOnStreamZeroIsProtocolError) {
  open();
  send(frame(kPriority, 0, 0, priority_fields(1)));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// A stream error by the RFC; nghttp2 makes it a connection error (§5.4.1 allows it).
TEST_F(Conformance, RFC9113_6_3_PriorityOfWrongLengthIsFrameSizeError) {
  open();
  send(frame(kPriority, 0, 1, u32(0)));  // 4 bytes
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

// --- §6.4 RST_STREAM
// ------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_4_RstStreamOnStreamZeroIsProtocolError) {
  open();
  send(rst_stream_frame(0, NGHTTP2_CANCEL));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_4_RstStreamOfWrongLengthIsFrameSizeError) {
  open_holding();
  send(post(1) + frame(kRstStream, 0, 1, "abc"));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

TEST_F(Conformance, RFC9113_6_4_ResetStreamFailsTheRequestAndNothingMoreIsSent) {
  std::string ended_with;
  BodyWriter writer;
  open({}, {}, [&](Reqd& reqd) {
    writer = *reqd.respond_with_streaming({200, {}});
    reqd.request_body().on_data([](Bytes) {});
    reqd.request_body().on_end([&](Result<void> end) { ended_with = end ? "ok" : "failed"; });
  });
  send(post(1) + rst_stream_frame(1, NGHTTP2_CANCEL));
  EXPECT_EQ(ended_with, "failed");
  std::size_t sent = count(kHeaders, 1) + count(kData, 1);
  EXPECT_FALSE(writer.write("after the reset"));
  driver_.pump();
  EXPECT_EQ(count(kHeaders, 1) + count(kData, 1), sent);
  EXPECT_EQ(reset_code(1), kNone);
}

// --- §6.5 SETTINGS
// --------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_5_SettingsAreAcknowledged) {
  start();
  send(client_preface({{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 10}}));
  const Frame* ack = last(kSettings);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->flags, kAck);
  EXPECT_EQ(ack->payload, "");
}

TEST_F(Conformance, RFC9113_6_5_SettingsAckWithPayloadIsFrameSizeError) {
  open();
  send(frame(kSettings, kAck, 0, std::string(1, '\0')));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

TEST_F(Conformance, RFC9113_6_5_SettingsOnAStreamIsProtocolError) {
  open();
  send(frame(kSettings, 0, 1, ""));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_5_SettingsLengthNotAMultipleOfSixIsFrameSizeError) {
  open();
  send(frame(kSettings, 0, 0, std::string(3, '\0')));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

TEST_F(Conformance, RFC9113_6_5_2_EnablePushOtherThanZeroOrOneIsProtocolError) {
  open();
  send(settings_frame({{NGHTTP2_SETTINGS_ENABLE_PUSH, 2}}));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_5_2_InitialWindowSizeAboveTheMaximumIsFlowControlError) {
  open();
  send(settings_frame({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 0x80000000u}}));
  EXPECT_TRUE(connection_error(kFlowControlError));
}

TEST_F(Conformance, RFC9113_6_5_2_MaxFrameSizeBelowTheInitialValueIsProtocolError) {
  open();
  send(settings_frame({{NGHTTP2_SETTINGS_MAX_FRAME_SIZE, 16383}}));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_5_2_MaxFrameSizeAboveTheMaximumIsProtocolError) {
  open();
  send(settings_frame({{NGHTTP2_SETTINGS_MAX_FRAME_SIZE, 1u << 24}}));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_5_3_SettingsValuesAreProcessedInOrder) {
  open({}, {}, [](Reqd& reqd) { (void)reqd.respond_with_string({200, {}}, "0123456789"); });
  send(settings_frame({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 100},
                       {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1}}) +
       get(1));
  EXPECT_EQ(body(1), "0");  // the window is the last value: 1 byte
  EXPECT_FALSE(ended(1));
}

// --- §6.7 PING ----------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_7_PingIsAnsweredWithTheSamePayload) {
  open();
  send(ping_frame("\x01\x02\x03\x04\x05\x06\x07\x08"));
  const Frame* ping = last(kPing);
  ASSERT_NE(ping, nullptr);
  EXPECT_EQ(ping->flags, kAck);
  EXPECT_EQ(ping->payload, "\x01\x02\x03\x04\x05\x06\x07\x08");
}

TEST_F(Conformance, RFC9113_6_7_PingAckIsNotAnswered) {
  open();
  send(frame(kPing, kAck, 0, "abcdefgh"));
  EXPECT_EQ(count(kPing, 0), 0u);
  EXPECT_TRUE(serves(1));
}

TEST_F(Conformance, RFC9113_6_7_PingOnAStreamIsProtocolError) {
  open();
  send(frame(kPing, 0, 1, "abcdefgh"));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_7_PingOfWrongLengthIsFrameSizeError) {
  open();
  send(frame(kPing, 0, 0, "abcdefg"));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

// --- §6.8 GOAWAY --------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_8_GoawayOnAStreamIsProtocolError) {
  open();
  send(frame(kGoaway, 0, 1, u32(0) + u32(NGHTTP2_NO_ERROR)));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_8_GracefulShutdownNamesTheLastStreamServed) {
  open_holding();
  send({get(1), get(3)});
  connection_->shutdown();
  driver_.pump();
  for (Reqd& reqd : waiting_) (void)reqd.respond_with_string({200, {}}, "bye");
  waiting_.clear();
  driver_.pump();
  const Frame* goaway = last(kGoaway);
  ASSERT_NE(goaway, nullptr);
  EXPECT_EQ(get32(goaway->payload, 0), 3u);
  EXPECT_EQ(goaway->error_code(), static_cast<std::uint32_t>(NGHTTP2_NO_ERROR));
  EXPECT_EQ(body(1) + body(3), "byebye");
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(Conformance, RFC9113_6_8_GoawayShorterThanEightBytesIsFrameSizeError) {
  open();
  send(frame(kGoaway, 0, 0, u32(0)));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

// --- §6.9 WINDOW_UPDATE and flow control ---------------------------------------------------------

TEST_F(Conformance, RFC9113_6_9_ZeroIncrementOnTheConnectionIsProtocolError) {
  open();
  send(window_update_frame(0, 0));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// A stream error by the RFC; nghttp2 makes it a connection error (§5.4.1 allows it).
TEST_F(Conformance, RFC9113_6_9_ZeroIncrementOnAStreamIsProtocolError) {
  open_holding();
  send(post(1) + window_update_frame(1, 0));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_9_WindowUpdateOfWrongLengthIsFrameSizeError) {
  open();
  send(frame(kWindowUpdate, 0, 0, "abc"));
  EXPECT_TRUE(connection_error(kFrameSizeError));
}

TEST_F(Conformance, RFC9113_6_9_ReservedBitOfTheIncrementIsIgnored) {
  open({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1}}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {}}, "0123456789");
  });
  send(get(1));
  send(window_update_frame(1, 0x80000004u));  // R set, increment 4
  EXPECT_EQ(body(1), "01234");
  EXPECT_EQ(goaway_code(), kNone);
}

TEST_F(Conformance, RFC9113_6_9_1_ConnectionWindowOverTheMaximumIsFlowControlError) {
  open();
  send(window_update_frame(0, 0x7fffffff));  // 65535 + 2^31 - 1
  EXPECT_TRUE(connection_error(kFlowControlError));
}

TEST_F(Conformance, RFC9113_6_9_1_StreamWindowOverTheMaximumIsAStreamFlowControlError) {
  open_holding();
  send(post(1) + window_update_frame(1, 0x7fffffff));
  EXPECT_TRUE(stream_error(1, kFlowControlError));
  send(post(3));
  EXPECT_EQ(waiting_.size(), 2u);  // the connection still takes requests
}

// What a client sent on a stream the server reset still counted against the
// connection's window: the server gives it back, or the client would stall.
TEST_F(Conformance, RFC9113_6_9_DataOnAResetStreamCountsAndIsGivenBack) {
  H2Config config;
  config.connection_window_size = 65535;
  open({}, config);
  send(post(1, {{"X-Upper", "malformed"}}));
  ASSERT_TRUE(stream_error(1, kProtocolError));
  std::string late;
  for (int i = 0; i < 3; ++i) late += data_frame(1, std::string(16384, 'x'));
  late += data_frame(1, std::string(16383, 'x'));  // the whole connection window
  send(late);
  EXPECT_EQ(goaway_code(), kNone);
  std::uint64_t given_back = 0;
  for (const Frame& f : frames())
    if (f.type == kWindowUpdate && f.stream == 0) given_back += get32(f.payload, 0);
  EXPECT_GE(given_back, 32768u);
  send(post(3, {{"content-length", "4"}}));
  send(data_frame(3, "echo", true));
  EXPECT_EQ(body(3), "echo");
}

TEST_F(Conformance, RFC9113_6_9_1_ServerSendsNoMoreThanTheStreamWindow) {
  open({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1}}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {}}, "0123456789");
  });
  send(get(1));
  EXPECT_EQ(body(1), "0");
  send(window_update_frame(1, 4));
  EXPECT_EQ(body(1), "01234");
  EXPECT_FALSE(ended(1));
}

TEST_F(Conformance, RFC9113_6_9_1_ServerSendsNoMoreThanTheConnectionWindow) {
  // Each stream may take 1 MiB; the connection's 65535 bytes are shared.
  open({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20}}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {}}, std::string(50000, 'z'));
  });
  send({get(1), get(3)});
  EXPECT_EQ(body(1).size() + body(3).size(), 65535u);
  send(window_update_frame(0, 100000));
  EXPECT_EQ(body(1).size() + body(3).size(), 100000u);
  EXPECT_TRUE(ended(1));
  EXPECT_TRUE(ended(3));
}

TEST_F(Conformance, RFC9113_6_9_1_DataBeyondTheStreamWindowIsFlowControlError) {
  H2Config config;
  config.initial_window_size = 1024;
  open_holding(config);
  send(post(1) + data_frame(1, std::string(1024, 'x')) + data_frame(1, "over"));
  EXPECT_TRUE(stream_error(1, kFlowControlError));
}

TEST_F(Conformance, RFC9113_6_9_1_DataBeyondTheConnectionWindowIsFlowControlError) {
  H2Config config;
  config.connection_window_size = 65535;  // the initial one
  config.initial_window_size = 1 << 20;
  open_holding(config);
  std::string flood = post(1);
  flood += post(3);
  for (int i = 0; i < 3; ++i) flood += data_frame(1 + 2 * (i % 2), std::string(16384, 'x'));
  flood += data_frame(3, std::string(16383, 'x'));  // 65535: the window is full
  flood += data_frame(1, "over");
  send(flood);
  EXPECT_TRUE(connection_error(kFlowControlError));
}

TEST_F(Conformance, RFC9113_6_9_2_InitialWindowSizeChangeAppliesToOpenStreamsEvenBelowZero) {
  open({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 5}}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {}}, "0123456789");
  });
  send(get(1));
  EXPECT_EQ(body(1), "01234");
  send(settings_frame({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 3}}));  // the window: 3 - 5 = -2
  send(window_update_frame(1, 3));                                    // -2 + 3 = 1
  EXPECT_EQ(body(1), "012345");
  send(settings_frame({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 100}}));
  EXPECT_EQ(body(1), "0123456789");
  EXPECT_TRUE(ended(1));
}

TEST_F(Conformance, RFC9113_6_9_2_InitialWindowSizeMakingAWindowOverflowIsFlowControlError) {
  open_holding();
  send(post(1) + window_update_frame(1, 0x7fffffff - 65535));  // the stream's window: 2^31 - 1
  EXPECT_EQ(goaway_code(), kNone);
  send(settings_frame({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 65536}}));
  EXPECT_TRUE(connection_error(kFlowControlError));
}

TEST_F(Conformance, RFC9113_6_9_3_DataSentBeforeASmallerWindowIsAcknowledgedIsAccepted) {
  std::string received;
  open({}, {}, [&](Reqd& reqd) {
    reqd.request_body().on_data([&](Bytes bytes) { received += as_string(bytes); });
  });
  send(post(1));
  ASSERT_TRUE(connection_->set_initial_window_size(100));
  driver_.pump();
  // The client has not acknowledged the smaller window: the old one holds.
  send(data_frame(1, std::string(1000, 'd')));
  EXPECT_EQ(received.size(), 1000u);
  EXPECT_EQ(goaway_code(), kNone);
  EXPECT_EQ(reset_code(1), kNone);
}

// --- §6.10 CONTINUATION
// ---------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_6_10_ContinuationFramesCompleteAFieldBlock) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/c"));
  send(frame(kHeaders, kEndStream, 1, block.substr(0, 2)) +
       frame(kContinuation, 0, 1, block.substr(2, 3)) +
       frame(kContinuation, kEndHeaders, 1, block.substr(5)));
  EXPECT_EQ(status(1), "200");
  EXPECT_EQ(log_, "GET /c\n");
}

TEST_F(Conformance, RFC9113_6_10_ContinuationAfterEndHeadersIsProtocolError) {
  open_holding();
  send({post(1), frame(kContinuation, kEndHeaders, 1, hpack_.encode({{"x-a", "b"}}))});
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_10_ContinuationAfterDataIsProtocolError) {
  open_holding();
  send(post(1) + data_frame(1, "x") + frame(kContinuation, kEndHeaders, 1, ""));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_10_ContinuationOnAnotherStreamIsProtocolError) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndStream, 1, block.substr(0, 4)) +
       frame(kContinuation, kEndHeaders, 3, block.substr(4)));
  EXPECT_TRUE(connection_error(kProtocolError));
}

TEST_F(Conformance, RFC9113_6_10_ContinuationOnStreamZeroIsProtocolError) {
  open();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndStream, 1, block.substr(0, 4)) +
       frame(kContinuation, kEndHeaders, 0, block.substr(4)));
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §7 error codes
// ---------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_7_UnknownErrorCodeInRstStreamHasNoSpecialEffect) {
  open_holding();
  send(post(1) + rst_stream_frame(1, 0xabcdef));
  EXPECT_EQ(reset_code(1), kNone);
  EXPECT_EQ(goaway_code(), kNone);
  EXPECT_EQ(connection_->streams_in_flight(), 0u);
}

TEST_F(Conformance, RFC9113_7_UnknownErrorCodeInGoawayHasNoSpecialEffect) {
  open_holding();
  send(get(1) + frame(kGoaway, 0, 0, u32(0) + u32(0xabcdef)));
  ASSERT_EQ(waiting_.size(), 1u);
  (void)waiting_[0].respond_with_string({200, {}}, "still answered");
  driver_.pump();
  EXPECT_EQ(body(1), "still answered");
  EXPECT_EQ(goaway_code(), kNone);
}

// --- §8.1 message framing
// -------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_8_1_TrailersEndTheRequest) {
  open();
  send({post(1), data_frame(1, "abc"), headers(1, {{"x-checksum", "7"}})});
  EXPECT_EQ(log_, "POST /\ndata abc\nend\ntrailer x-checksum: 7\n");
  EXPECT_TRUE(ended(1));
}

TEST_F(Conformance, RFC9113_8_1_TrailersWithoutEndStreamAreMalformed) {
  open();
  send({post(1), frame(kHeaders, kEndHeaders, 1, hpack_.encode({{"x-checksum", "7"}}))});
  EXPECT_TRUE(stream_error(1, kProtocolError));
  EXPECT_EQ(log_, "POST /\nfailed\n");
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_8_1_ServerNeverSends101) {
  Result<void> switched;
  open({}, {}, [&](Reqd& reqd) {
    switched = reqd.respond_with_string({101, {{"upgrade", "x"}}}, "");
  });
  send(get(1));
  EXPECT_FALSE(switched);
  EXPECT_EQ(status(1), "500");  // the handler answered nothing valid
}

TEST_F(Conformance, RFC9113_8_1_1_ContentLengthLargerThanTheDataIsMalformed) {
  open();
  send(post(1, {{"content-length", "10"}}) + data_frame(1, "abc", true));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_8_1_1_ContentLengthSmallerThanTheDataIsMalformed) {
  open();
  send(post(1, {{"content-length", "4"}}) + data_frame(1, "abc") + data_frame(1, "def", true));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_8_1_1_ContentLengthWithoutDataIsMalformed) {
  open();
  send(headers(1, request_fields("POST", "/", {{"content-length", "1"}}), true));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_8_1_1_ResponseDataNeverDisagreesWithItsContentLength) {
  Result<Backpressure> over;
  Result<void> closed;
  open({}, {}, [&](Reqd& reqd) {
    BodyWriter writer = *reqd.respond_with_streaming({200, {{"content-length", "5"}}});
    over = writer.write("123456");  // longer: refused
    (void)writer.write("123");
    closed = writer.close();  // shorter: the stream is reset
  });
  send(get(1));
  EXPECT_FALSE(over);
  EXPECT_FALSE(closed);
  EXPECT_LE(body(1).size(), 5u);
  EXPECT_FALSE(ended(1));
  EXPECT_EQ(reset_code(1), static_cast<std::uint32_t>(NGHTTP2_INTERNAL_ERROR));
}

TEST_F(Conformance, RFC9113_8_1_1_ResponsesWithoutContentSendNoData) {
  open({}, {}, [](Reqd& reqd) {
    int status = reqd.request().path() == "/204"   ? 204
                 : reqd.request().path() == "/304" ? 304
                                                   : 200;
    (void)reqd.respond_with_string({status, {}}, "ignored");
  });
  send({get(1, "/204"), get(3, "/304"), headers(5, request_fields("HEAD", "/"))});
  for (std::uint32_t stream : {1u, 3u, 5u}) {
    EXPECT_TRUE(ended(stream)) << stream;
    EXPECT_EQ(count(kData, stream), 0u) << stream;
  }
  EXPECT_EQ(status(1) + status(3) + status(5), "204304200");
}

// --- §8.2 fields
// ----------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_8_2_UppercaseFieldNameIsMalformed) {
  open();
  EXPECT_TRUE(malformed_fields(request_fields("GET", "/", {{"X-Upper", "v"}})));
}

TEST_F(Conformance, RFC9113_8_2_1_InvalidCharacterInFieldNameIsMalformed) {
  open();
  EXPECT_TRUE(malformed_fields(request_fields("GET", "/", {{"x name", "v"}})));
}

TEST_F(Conformance, RFC9113_8_2_1_ColonInsideFieldNameIsMalformed) {
  open();
  EXPECT_TRUE(malformed_fields(request_fields("GET", "/", {{"x:name", "v"}})));
}

TEST_F(Conformance, RFC9113_8_2_1_NulCrOrLfInFieldValueIsMalformed) {
  open();
  std::uint32_t stream = 1;
  for (std::string value : {std::string("a\0b", 3), std::string("a\rb"), std::string("a\nb")}) {
    send(headers(stream, request_fields("GET", "/", {{"x-value", value}})));
    EXPECT_TRUE(stream_error(stream, kProtocolError)) << stream;
    stream += 2;
  }
  EXPECT_EQ(log_, "");
  EXPECT_TRUE(serves(stream));
}

TEST_F(Conformance, RFC9113_8_2_1_FieldValueStartingOrEndingWithWhitespaceIsMalformed) {
  open();
  std::uint32_t stream = 1;
  for (std::string value : {" lead", "trail ", "\ttab"}) {
    send(headers(stream, request_fields("GET", "/", {{"x-value", value}})));
    EXPECT_TRUE(stream_error(stream, kProtocolError)) << stream;
    stream += 2;
  }
  EXPECT_EQ(log_, "");
  EXPECT_TRUE(serves(stream));
}

TEST_F(Conformance, RFC9113_8_2_1_ResponseFieldValueWithCrLfIsRefused) {
  Result<void> responded;
  open({}, {}, [&](Reqd& reqd) {
    responded = reqd.respond_with_string({200, {{"x-split", "a\r\nx-injected: b"}}}, "");
  });
  send(get(1));
  EXPECT_FALSE(responded);
  EXPECT_EQ(status(1), "500");  // the handler's answer was refused; the error handler's is sent
  EXPECT_EQ(last(kHeaders)->field("x-injected"), "");
}

TEST_F(Conformance, RFC9113_8_2_1_ResponseFieldValueIsSentWithoutEdgeWhitespace) {
  open({}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {{"x-padded", " \tvalue \t"}, {"x-inner", "a b"}}}, "");
  });
  send(get(1));
  const Frame* head = last(kHeaders);
  ASSERT_NE(head, nullptr);
  EXPECT_EQ(head->field("x-padded"), "value");
  EXPECT_EQ(head->field("x-inner"), "a b");
}

TEST_F(Conformance, RFC9113_8_2_ResponseFieldNamesAreLowercase) {
  open({}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {{"X-Mixed-Case", "v"}, {"ETag", "\"1\""}}}, "");
  });
  send(get(1));
  const Frame* head = last(kHeaders);
  ASSERT_NE(head, nullptr);
  for (const auto& [name, value] : head->fields)
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  EXPECT_EQ(head->field("x-mixed-case"), "v");
  EXPECT_EQ(head->field("etag"), "\"1\"");
}

TEST_F(Conformance, RFC9113_8_2_ManyResponseFieldsAreSentLowercaseAndInOrder) {
  // More fields than a head's list holds on the stack, half of them to lowercase.
  open({}, {}, [](Reqd& reqd) {
    Response response{200, {}};
    for (int i = 0; i < 30; ++i)
      response.headers.add((i % 2 ? "X-Field-" : "x-field-") + std::to_string(i), std::to_string(i));
    (void)reqd.respond_with_string(std::move(response), "");
  });
  send(get(1));
  const Frame* head = last(kHeaders);
  ASSERT_NE(head, nullptr);
  std::vector<std::string> names;
  for (const auto& [name, value] : head->fields)
    if (name.starts_with("x-field-")) names.push_back(name + "=" + value);
  ASSERT_EQ(names.size(), 30u);
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(names[i], "x-field-" + std::to_string(i) + "=" + std::to_string(i));
}

TEST_F(Conformance, RFC9113_8_2_2_ConnectionSpecificRequestFieldIsMalformed) {
  open();
  std::uint32_t stream = 1;
  for (std::string name :
       {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}) {
    send(headers(stream, request_fields("GET", "/", {{name, "x"}})));
    EXPECT_TRUE(stream_error(stream, kProtocolError)) << name;
    stream += 2;
  }
  EXPECT_EQ(log_, "");
  EXPECT_TRUE(serves(stream));
}

TEST_F(Conformance, RFC9113_8_2_2_TeOtherThanTrailersIsMalformed) {
  open();
  send(headers(1, request_fields("GET", "/", {{"te", "trailers"}})));
  EXPECT_EQ(status(1), "200");
  send(headers(3, request_fields("GET", "/", {{"te", "gzip"}})));
  EXPECT_TRUE(stream_error(3, kProtocolError));
  EXPECT_EQ(log_, "GET /\n");
}

TEST_F(Conformance, RFC9113_8_2_2_ConnectionSpecificResponseFieldsAreNotSent) {
  open({}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200,
                                    {{"Connection", "keep-alive"},
                                     {"Keep-Alive", "timeout=5"},
                                     {"Proxy-Connection", "x"},
                                     {"Transfer-Encoding", "chunked"},
                                     {"Upgrade", "h2c"},
                                     {"TE", "gzip"},
                                     {"Host", "example.com"},  // :authority's, in a request
                                     {"x-kept", "yes"}}},
                                   "body");
  });
  send(get(1));
  const Frame* head = last(kHeaders);
  ASSERT_NE(head, nullptr);
  for (std::string name :
       {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "host"})
    EXPECT_EQ(head->field(name), "") << name;
  EXPECT_EQ(head->field("x-kept"), "yes");
}

TEST_F(Conformance, RFC9113_8_2_3_CookieFieldsAreJoinedForTheApplication) {
  std::string cookie;
  std::size_t fields = 0;
  open({}, {}, [&](Reqd& reqd) {
    cookie = reqd.request().headers.get("cookie").value_or("");
    fields = reqd.request().headers.count("cookie");
    (void)reqd.respond_with_string({200, {}}, "");
  });
  send(headers(
      1, request_fields("GET", "/", {{"cookie", "a=1"}, {"x-other", "o"}, {"cookie", "b=2"}})));
  EXPECT_EQ(cookie, "a=1; b=2");
  EXPECT_EQ(fields, 1u);
}

// --- §8.3 pseudo-header fields
// ---------------------------------------------------------------------

TEST_F(Conformance, RFC9113_8_3_UnknownPseudoHeaderIsMalformed) {
  open();
  EXPECT_TRUE(malformed_fields(request_fields("GET", "/", {{":unknown", "x"}})));
}

TEST_F(Conformance, RFC9113_8_3_ResponsePseudoHeaderInARequestIsMalformed) {
  open();
  EXPECT_TRUE(malformed_fields(request_fields("GET", "/", {{":status", "200"}})));
}

TEST_F(Conformance, RFC9113_8_3_PseudoHeaderAfterARegularFieldIsMalformed) {
  open();
  Fields fields = {{":method", "GET"},
                   {":scheme", "https"},
                   {"x-regular", "r"},
                   {":path", "/"},
                   {":authority", "example.test"}};
  EXPECT_TRUE(malformed_fields(fields));
}

TEST_F(Conformance, RFC9113_8_3_PseudoHeaderInTrailersIsMalformed) {
  open();
  std::string request = frame(kHeaders, kEndHeaders, 1, hpack_.encode(request_fields("POST", "/")));
  send(request + headers(1, {{":path", "/again"}}));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  EXPECT_EQ(log_, "POST /\nfailed\n");
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_8_3_1_DuplicatedRequestPseudoHeaderIsMalformed) {
  open();
  std::uint32_t stream = 1;
  for (auto [name, value] : Fields{{":method", "GET"},
                                   {":scheme", "https"},
                                   {":path", "/"},
                                   {":authority", "example.test"}}) {
    Fields fields = request_fields("GET", "/");
    fields.insert(fields.begin() + 1, {name, value});
    send(headers(stream, fields));
    EXPECT_TRUE(stream_error(stream, kProtocolError)) << name;
    stream += 2;
  }
  EXPECT_EQ(log_, "");
  EXPECT_TRUE(serves(stream));
}

TEST_F(Conformance, RFC9113_8_3_1_MissingRequestPseudoHeaderIsMalformed) {
  open();
  std::uint32_t stream = 1;
  for (std::string name : {":method", ":scheme", ":path"}) {
    send(headers(stream, with(request_fields("GET", "/"), name, "")));
    EXPECT_TRUE(stream_error(stream, kProtocolError)) << name;
    stream += 2;
  }
  EXPECT_EQ(log_, "");
  EXPECT_TRUE(serves(stream));
}

TEST_F(Conformance, RFC9113_8_3_1_EmptyPathIsMalformed) {
  open();
  // An empty value, sent as is (the helper `with` would drop the field).
  std::string block =
      hpack_.encode({{":method", "GET"}, {":scheme", "https"}, {":authority", "example.test"}}) +
      literal_without_indexing(":path", "");
  EXPECT_TRUE(malformed(frame(kHeaders, kEndHeaders | kEndStream, 1, block)));
}

TEST_F(Conformance, RFC9113_8_3_1_AsteriskPathOnlyForOptions) {
  open();
  send(headers(1, request_fields("OPTIONS", "*")));
  EXPECT_EQ(status(1), "200");
  EXPECT_EQ(log_, "OPTIONS *\nend\n");
  send(headers(3, request_fields("GET", "*")));
  EXPECT_TRUE(stream_error(3, kProtocolError));
}

TEST_F(Conformance, RFC9113_8_3_1_PathNotStartingWithSlashIsMalformed) {
  open();
  EXPECT_TRUE(malformed_fields(request_fields("GET", "index.html")));
}

TEST_F(Conformance, RFC9113_8_3_1_InvalidMethodOrSchemeIsMalformed) {
  open();
  send(headers(1, with(request_fields("GET", "/"), ":method", "GE T")));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  send(headers(3, with(request_fields("GET", "/"), ":scheme", "ht tp")));
  EXPECT_TRUE(stream_error(3, kProtocolError));
  EXPECT_EQ(log_, "");
  EXPECT_TRUE(serves(5));
}

// Stricter than RFC 9113 asks (a request may lack both): nghttp2 refuses it.
TEST_F(Conformance, RFC9113_8_3_1_RequestWithoutAuthorityOrHostIsRefused) {
  open();
  send(headers(1, with(request_fields("GET", "/"), ":authority", "")));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  send(
      headers(3, with(with(request_fields("GET", "/"), ":authority", ""), "host", "example.test")));
  EXPECT_EQ(status(3), "200");
}

TEST_F(Conformance, RFC9113_8_3_2_ResponsesCarryOnlyTheStatusPseudoHeader) {
  open();
  send({get(1), headers(3, request_fields("POST", "/"))});
  for (std::uint32_t stream : {1u, 3u}) {
    std::size_t pseudo = 0;
    for (const Frame& f : frames())
      if (f.type == kHeaders && f.stream == stream)
        for (const auto& [name, value] : f.fields) pseudo += name.starts_with(':');
    EXPECT_EQ(pseudo, 1u) << stream;
    EXPECT_EQ(status(stream), "200") << stream;
  }
}

// --- §8.4 server push
// --------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_8_4_PushPromiseFromTheClientIsProtocolError) {
  open_holding();
  send({get(1), frame(kPushPromise, kEndHeaders, 1,
                      u32(2) + hpack_.encode(request_fields("GET", "/pushed")))});
  EXPECT_TRUE(connection_error(kProtocolError));
}

// --- §8.5 CONNECT
// ------------------------------------------------------------------------------------

TEST_F(Conformance, RFC9113_8_5_ConnectWithOnlyAnAuthorityReachesTheHandler) {
  std::string target;
  open({}, {}, [&](Reqd& reqd) {
    target = std::string(reqd.request().target());
    (void)reqd.respond_with_string({200, {}}, "");
  });
  send(headers(1, {{":method", "CONNECT"}, {":authority", "example.test:443"}}, false));
  EXPECT_EQ(target, "example.test:443");
  EXPECT_EQ(status(1), "200");
}

TEST_F(Conformance, RFC9113_8_5_FieldsOnAConnectedStreamAreAStreamError) {
  open();
  send(headers(1, {{":method", "CONNECT"}, {":authority", "example.test:443"}}, false));
  send(data_frame(1, "tunnelled"));
  send(headers(1, {{"x-trailer", "t"}}));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  EXPECT_TRUE(serves(3));
}

TEST_F(Conformance, RFC9113_8_5_ConnectWithSchemeOrPathIsMalformed) {
  open();
  send(headers(1, {{":method", "CONNECT"}, {":authority", "example.test:443"}, {":path", "/"}},
               false));
  EXPECT_TRUE(stream_error(1, kProtocolError));
  send(headers(3,
               {{":method", "CONNECT"}, {":authority", "example.test:443"}, {":scheme", "https"}},
               false));
  EXPECT_TRUE(stream_error(3, kProtocolError));
  EXPECT_EQ(log_, "");
  EXPECT_TRUE(serves(5));
}

TEST_F(Conformance, RFC9113_8_5_ConnectWithoutAuthorityIsMalformed) {
  open();
  EXPECT_TRUE(malformed(headers(1, {{":method", "CONNECT"}}, false)));
}

// --- RFC 7541: HPACK
// ------------------------------------------------------------------------------ A decoding error
// is a connection error COMPRESSION_ERROR (RFC 9113 §4.3).

class Hpack : public Conformance {
 protected:
  // A request whose field block is the pseudo-header fields then `tail`.
  void send_block(std::string_view tail, std::uint32_t stream = 1) {
    send(frame(kHeaders, kEndHeaders | kEndStream, stream,
               hpack_.encode(request_fields("GET", "/"), false) + std::string(tail)));
  }
};

TEST_F(Hpack, RFC7541_2_3_3_IndexBeyondBothTablesIsDecodingError) {
  open();
  send_block(hpack_integer(0x80, 7, 62 + 100));  // the dynamic table holds nothing
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_2_3_3_LiteralNameIndexBeyondBothTablesIsDecodingError) {
  open();
  send_block(hpack_integer(0x40, 6, 70) + hpack_integer(0, 7, 1) + "v");
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_6_1_IndexZeroIsDecodingError) {
  open();
  send_block(std::string(1, '\x80'));
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_4_2_TableSizeUpdateAfterAFieldIsDecodingError) {
  open();
  send_block(hpack_integer(0x20, 5, 0));
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_4_2_TableSizeUpdateAtTheStartIsAccepted) {
  open();
  send(frame(kHeaders, kEndHeaders | kEndStream, 1,
             hpack_integer(0x20, 5, 0) + hpack_integer(0x20, 5, 100) +
                 hpack_.encode(request_fields("GET", "/"), false)));
  EXPECT_EQ(status(1), "200");
}

TEST_F(Hpack, RFC7541_6_3_TableSizeUpdateAboveTheSettingIsDecodingError) {
  open();  // SETTINGS_HEADER_TABLE_SIZE: 4096
  send(frame(kHeaders, kEndHeaders | kEndStream, 1,
             hpack_integer(0x20, 5, 4097) + hpack_.encode(request_fields("GET", "/"), false)));
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_4_2_SmallerTableSettingNeedsASizeUpdateInTheNextBlock) {
  H2Config config;
  config.header_table_size = 256;
  open({}, config);  // the client acknowledged 256 < 4096
  send_block("");
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_4_2_SmallerTableSettingWithTheSizeUpdateIsServed) {
  H2Config config;
  config.header_table_size = 256;
  open({}, config);
  send(frame(kHeaders, kEndHeaders | kEndStream, 1,
             hpack_integer(0x20, 5, 256) + hpack_.encode(request_fields("GET", "/"), false)));
  EXPECT_EQ(status(1), "200");
}

TEST_F(Hpack, RFC7541_4_4_EntryLargerThanTheTableEmptiesItWithoutError) {
  open();
  send_block(literal_with_indexing("x-small", "s"));
  EXPECT_EQ(status(1), "200");
  // 5000 bytes do not fit in 4096: the table is emptied, the field still decoded.
  send_block(literal_with_indexing("x-huge", std::string(5000, 'h')), 3);
  EXPECT_EQ(status(3), "200");
  send_block(hpack_integer(0x80, 7, 62), 5);  // "x-small" is gone
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_4_4_EvictionCountsThirtyTwoBytesPerEntry) {
  std::string fields;
  open({}, {}, [&](Reqd& reqd) {
    fields.clear();
    for (std::string_view name : {"a", "b"})
      if (auto value = reqd.request().headers.get(name))
        fields += std::string(name) + std::string(value->substr(0, 1));
    (void)reqd.respond_with_string({200, {}}, "");
  });
  // Each entry: 1 + 1967 + 32 = 2000 bytes; then one of 1 + 63 + 32 = 96: 4096, full.
  send_block(literal_with_indexing("a", std::string(1967, 'A')) +
             literal_with_indexing("b", std::string(1967, 'B')) +
             literal_with_indexing("c", std::string(63, 'C')));
  send_block(hpack_integer(0x80, 7, 64), 3);  // the oldest: a
  EXPECT_EQ(fields, "aA");
  // 33 bytes more evict the oldest: b is now the last entry, and 65 is out of range.
  send_block(literal_with_indexing("d", "") + hpack_integer(0x80, 7, 64), 5);
  EXPECT_EQ(fields, "bB");
  send_block(hpack_integer(0x80, 7, 65), 7);
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_6_2_2_LiteralWithoutIndexingLeavesTheTableAlone) {
  open();
  send_block(literal_without_indexing("x-once", "v"));
  EXPECT_EQ(status(1), "200");
  send_block(hpack_integer(0x80, 7, 62), 3);  // nothing was added
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_5_1_IntegerOverflowIsDecodingError) {
  open();
  send_block(std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11));
  EXPECT_TRUE(connection_error(kCompressionError));
}

// A literal without indexing, name "x-h", whose value is Huffman-coded `bits`.
std::string huffman_value(std::string_view bits) {
  return hpack_integer(0x00, 4, 0) + hpack_integer(0, 7, 3) + "x-h" +
         hpack_integer(0x80, 7, bits.size()) + std::string(bits);
}

TEST_F(Hpack, RFC7541_5_2_HuffmanValueIsDecoded) {
  std::string value;
  open({}, {}, [&](Reqd& reqd) {
    value = reqd.request().headers.get("x-h").value_or("none");
    (void)reqd.respond_with_string({200, {}}, "");
  });
  send_block(huffman_value("\x1f"));  // 'a' (00011) and 3 bits of EOS padding
  EXPECT_EQ(value, "a");
}

TEST_F(Hpack, RFC7541_5_2_HuffmanEosSymbolIsDecodingError) {
  open();
  send_block(huffman_value("\xff\xff\xff\xff"));  // EOS (30 ones) then padding
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_5_2_HuffmanPaddingLongerThanSevenBitsIsDecodingError) {
  open();
  send_block(huffman_value("\x1f\xff"));  // 'a' and 11 bits of padding
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_5_2_HuffmanPaddingNotOfTheEosCodeIsDecodingError) {
  open();
  send_block(huffman_value("\x18"));  // 'a' and 3 zero bits
  EXPECT_TRUE(connection_error(kCompressionError));
}

TEST_F(Hpack, RFC7541_4_2_ServerEncoderHonoursTheClientsTableSize) {
  open({{NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, 0}}, {}, [](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {{"x-repeated", "same value"}}}, "");
  });
  send({get(1), get(3)});
  std::vector<const Frame*> heads;
  for (const Frame& f : frames())
    if (f.type == kHeaders) heads.push_back(&f);
  ASSERT_EQ(heads.size(), 2u);
  // The first block starts with the size update to 0 (RFC 7541 §4.2)...
  EXPECT_EQ(static_cast<std::uint8_t>(heads[0]->payload[0]), 0x20);
  // ...and no block refers to the dynamic table (indices past 61).
  for (const Frame* head : heads) EXPECT_EQ(head->field("x-repeated"), "same value");
  EXPECT_EQ(heads[0]->payload.size() - 1, heads[1]->payload.size());
}

}  // namespace
}  // namespace paf
