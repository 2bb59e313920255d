// HTTP/2 server conformance, RFC 9113 §7 (error codes) and §8 (HTTP semantics:
// framing, fields, pseudo-header fields, push, CONNECT): one test per row of
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

}  // namespace
}  // namespace paf
