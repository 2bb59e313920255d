// paf's snprintf against glibc's, format by format, then the buffer rules.
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "libc_under_test.h"

// Formats with both libraries into generous buffers; expects identical output
// and identical return values.
#define EXPECT_SAME_FORMAT(...)                                               \
  do {                                                                        \
    char ours[512], theirs[512];                                              \
    int n_ours = paf_test_snprintf(ours, sizeof ours, __VA_ARGS__);           \
    int n_theirs = std::snprintf(theirs, sizeof theirs, __VA_ARGS__);         \
    EXPECT_STREQ(ours, theirs) << "format: " << #__VA_ARGS__;                 \
    EXPECT_EQ(n_ours, n_theirs) << "format: " << #__VA_ARGS__;                \
  } while (0)

TEST(Snprintf, IntegersLikeGlibc) {
  for (int v : {0, 1, -1, 7, -42, 255, 1000000, INT_MAX, INT_MIN}) {
    EXPECT_SAME_FORMAT("%d|%i|%u|%x|%X|%o", v, v, v, v, v, v);
    EXPECT_SAME_FORMAT("[%5d][%-5d][%05d][%+d][% d][%+05d][%-+6d]", v, v, v, v, v, v, v);
    EXPECT_SAME_FORMAT("[%.3d][%8.3d][%-8.3d][%08.3d][%.0d][%5.0d]", v, v, v, v, v, v);
    EXPECT_SAME_FORMAT("[%#x][%#X][%#o][%#10x][%#010x][%-#10o][%#.5x][%#.0o]", v, v, v, v, v, v, v, v);
    EXPECT_SAME_FORMAT("[%*d][%-*d][%.*d][%*.*d]", 6, v, 6, v, 4, v, 8, 3, v);
    EXPECT_SAME_FORMAT("[%*d][%.*d]", -6, v, -1, v);  // negative width: '-'; precision: none
  }
}

TEST(Snprintf, LengthModifiersLikeGlibc) {
  EXPECT_SAME_FORMAT("%hhd %hhu %hhx", 300, 300, -1);
  EXPECT_SAME_FORMAT("%hd %hu %hx", 70000, 70000, -1);
  EXPECT_SAME_FORMAT("%ld %lu %lx", LONG_MIN, ULONG_MAX, LONG_MAX);
  EXPECT_SAME_FORMAT("%lld %llu %llX %llo", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefLL, 01234567LL);
  EXPECT_SAME_FORMAT("%zu %zd %zx", SIZE_MAX, static_cast<ssize_t>(-5), static_cast<size_t>(4096));
  EXPECT_SAME_FORMAT("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
  EXPECT_SAME_FORMAT("%td %tx", static_cast<ptrdiff_t>(-77), static_cast<ptrdiff_t>(77));
}

TEST(Snprintf, CharactersStringsPointersLikeGlibc) {
  EXPECT_SAME_FORMAT("[%c][%3c][%-3c]", 'a', 'b', 'c');
  EXPECT_SAME_FORMAT("[%s][%10s][%-10s][%.2s][%10.3s][%-10.3s][%.0s]", "paf", "paf", "paf",
                     "paf", "paflechien", "paflechien", "paf");
  EXPECT_SAME_FORMAT("[%*s][%.*s]", 7, "ab", 1, "ab");
  EXPECT_SAME_FORMAT("[%p][%20p][%-20p]", static_cast<void*>(&errno), reinterpret_cast<void*>(0x1000),
                     reinterpret_cast<void*>(0xdeadbeef));
  EXPECT_SAME_FORMAT("[%p][%10p]", static_cast<void*>(nullptr), static_cast<void*>(nullptr));
  EXPECT_SAME_FORMAT("100%%");
  EXPECT_SAME_FORMAT("no directives at all");
  EXPECT_SAME_FORMAT("%s=%d; %s=%#06x; %c%c", "a", 1, "b", 0x2a, 'x', 'y');
}

TEST(Snprintf, TruncatesAndTerminates) {
  char buf[8];
  std::memset(buf, 'z', sizeof buf);
  EXPECT_EQ(paf_test_snprintf(buf, sizeof buf, "%s", "0123456789"), 10);
  EXPECT_STREQ(buf, "0123456");
  EXPECT_EQ(paf_test_snprintf(buf, 1, "%d", 12345), 5);
  EXPECT_STREQ(buf, "");
  buf[0] = 'q';
  EXPECT_EQ(paf_test_snprintf(buf, 0, "%d", 12345), 5);
  EXPECT_EQ(buf[0], 'q');  // size 0 writes nothing
  EXPECT_EQ(paf_test_snprintf(nullptr, 0, "%08x%s", 1u, "abc"), 11);
}

TEST(Snprintf, HexFloatsAndLongDoublesAreNotFormattedButKeepArgumentsInStep) {
  char buf[64];
  paf_test_snprintf(buf, sizeof buf, "%d %a %d %Lf %d", 1, 2.5, 3, 4.5L, 5);
  EXPECT_STREQ(buf, "1 %a 3 %Lf 5");
}

TEST(Printf, WritesToTheConsole) {
  fake_platform::console.clear();
  EXPECT_EQ(paf_test_printf("hello %s %d\n", "paf", 42), 13);
  paf_test_puts("line");
  std::string long_text(1000, 'x');
  paf_test_printf("%s|", long_text.c_str());
  EXPECT_EQ(fake_platform::console, "hello paf 42\nline\n" + long_text + "|");
}
