// HTTP/2 server conformance, RFC 9113 §3.4 (the preface) and §4 (frames:
// format, size, field blocks): one test per row of CONFORMANCE.md, on the
// fixture of conformance.h.
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conformance.h"
#include "frames.h"
#include "paf/h2.h"

namespace paf {
namespace {

using namespace paf::conformance;

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

}  // namespace
}  // namespace paf
