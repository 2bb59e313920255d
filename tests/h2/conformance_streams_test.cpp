// HTTP/2 server conformance, RFC 9113 §5 (streams: states, identifiers,
// concurrency, priority, error handling, extensions): one test per row of
// CONFORMANCE.md, on the fixture of conformance.h.
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

}  // namespace
}  // namespace paf
