// HTTP/2 server conformance, RFC 7541 (HPACK): one test per row of
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
