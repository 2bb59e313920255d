// HTTP/2 server conformance, RFC 9113 §6 (frame definitions: DATA to
// CONTINUATION, flow control): one test per row of CONFORMANCE.md, on the
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

}  // namespace
}  // namespace paf
