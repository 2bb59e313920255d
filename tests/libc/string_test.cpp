// mem* and str*: edge cases, and agreement with glibc on random inputs.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "libc_under_test.h"

namespace {

int sign(int x) { return (x > 0) - (x < 0); }

TEST(Memory, CopyMoveSetOverlapsAndEdges) {
  char buf[32] = "0123456789";
  paf_test_memmove(buf + 2, buf, 8);  // overlap, destination above
  EXPECT_EQ(std::string(buf, 10), "0101234567");
  paf_test_memmove(buf, buf + 2, 8);  // overlap, destination below
  EXPECT_EQ(std::string(buf, 8), "01234567");
  EXPECT_EQ(paf_test_memcpy(buf, "xy", 0), buf);
  EXPECT_EQ(paf_test_memset(buf, 0x1ff, 3), buf);  // the value is converted to unsigned char
  EXPECT_EQ(static_cast<unsigned char>(buf[0]), 0xff);
  EXPECT_EQ(buf[3], '3');
  const unsigned char hi[] = {0x80}, lo[] = {0x01};
  EXPECT_GT(paf_test_memcmp(hi, lo, 1), 0);  // bytes compare unsigned
  EXPECT_EQ(paf_test_memcmp(hi, lo, 0), 0);
  const char* s = "a\0b";
  EXPECT_EQ(paf_test_memchr(s, 'b', 3), s + 2);
  EXPECT_EQ(paf_test_memchr(s, 'b', 2), nullptr);
  EXPECT_EQ(paf_test_memchr(s, 0x100 + 'a', 3), s);
}

TEST(Memory, AgreesWithGlibcOnRandomBuffers) {
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; i++) {
    size_t n = rng() % 64;
    std::vector<unsigned char> a(n + 1), b(n + 1);
    for (size_t j = 0; j <= n; j++) a[j] = b[j] = static_cast<unsigned char>(rng() % 4 + 'a');
    if (n && rng() % 2) b[rng() % n] = static_cast<unsigned char>(rng());
    EXPECT_EQ(sign(paf_test_memcmp(a.data(), b.data(), n)), sign(std::memcmp(a.data(), b.data(), n)));
    a[n] = b[n] = 0;
    auto* sa = reinterpret_cast<const char*>(a.data());
    auto* sb = reinterpret_cast<const char*>(b.data());
    EXPECT_EQ(sign(paf_test_strcmp(sa, sb)), sign(std::strcmp(sa, sb)));
    EXPECT_EQ(sign(paf_test_strncmp(sa, sb, n / 2)), sign(std::strncmp(sa, sb, n / 2)));
    EXPECT_EQ(paf_test_strlen(sa), std::strlen(sa));
    EXPECT_EQ(paf_test_strchr(sa, 'c'), std::strchr(sa, 'c'));
    EXPECT_EQ(paf_test_strrchr(sa, 'c'), std::strrchr(sa, 'c'));
    EXPECT_EQ(paf_test_strstr(sa, "ab"), std::strstr(sa, "ab"));
    EXPECT_EQ(paf_test_strspn(sa, "ab"), std::strspn(sa, "ab"));
    EXPECT_EQ(paf_test_strcspn(sa, "cd"), std::strcspn(sa, "cd"));
    EXPECT_EQ(paf_test_strpbrk(sa, "d"), std::strpbrk(sa, "d"));
  }
}

TEST(Strings, EdgeCases) {
  const char* s = "hello";
  EXPECT_EQ(paf_test_strchr(s, '\0'), s + 5);  // the terminator is part of the string
  EXPECT_EQ(paf_test_strrchr(s, '\0'), s + 5);
  EXPECT_EQ(paf_test_strrchr(s, 'l'), s + 3);
  EXPECT_EQ(paf_test_strstr(s, ""), s);
  EXPECT_EQ(paf_test_strstr(s, "lo"), s + 3);
  EXPECT_EQ(paf_test_strstr(s, "hello!"), nullptr);
  EXPECT_EQ(paf_test_strnlen(s, 3), 3u);
  EXPECT_EQ(paf_test_strnlen(s, 10), 5u);
  EXPECT_EQ(paf_test_strncmp("abc", "abd", 2), 0);
  EXPECT_LT(paf_test_strcmp("a", "\x80"), 0);  // chars compare unsigned
  EXPECT_EQ(paf_test_strcasecmp("Content-Length", "content-length"), 0);
  EXPECT_NE(paf_test_strncasecmp("Host", "Hosts", 5), 0);
  EXPECT_EQ(paf_test_strncasecmp("Host", "HOSTS", 4), 0);

  char buf[8];
  std::memset(buf, 'z', sizeof buf);
  paf_test_strncpy(buf, "ab", 6);  // pads with NULs up to n
  EXPECT_EQ(std::string(buf, 8), std::string("ab\0\0\0\0zz", 8));
  paf_test_strncpy(buf, "abcdefgh", 3);  // no terminator when the source is longer
  EXPECT_EQ(std::string(buf, 4), std::string("abc\0", 4));
  char cat[16] = "ab";
  paf_test_strncat(cat, "cdef", 2);
  EXPECT_STREQ(cat, "abcd");

  fake_platform::console.clear();
  std::vector<uint8_t> heap(1 << 16);
  paf_test_paf_libc_heap_init(heap.data(), heap.size());
  char* copy = paf_test_strdup("paf");
  ASSERT_NE(copy, nullptr);
  EXPECT_STREQ(copy, "paf");
  paf_test_free(copy);
}

}  // namespace
