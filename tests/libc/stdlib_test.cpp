// qsort/bsearch, and the strto* family against glibc.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <random>
#include <vector>

#include "libc_under_test.h"

namespace {

int compare_ints(const void* a, const void* b) {
  int x = *static_cast<const int*>(a), y = *static_cast<const int*>(b);
  return (x > y) - (x < y);
}

struct Record {
  unsigned key;
  char payload[13];
};
int compare_records(const void* a, const void* b) {
  unsigned x = static_cast<const Record*>(a)->key, y = static_cast<const Record*>(b)->key;
  return (x > y) - (x < y);
}

TEST(Qsort, SortsLikeStdSort) {
  std::mt19937 rng(7);
  for (size_t n : {0u, 1u, 2u, 3u, 10u, 100u, 1000u, 4097u}) {
    std::vector<int> v(n);
    for (auto& x : v) x = static_cast<int>(rng() % 50) - 25;  // many duplicates
    std::vector<int> expected = v;
    std::sort(expected.begin(), expected.end());
    paf_test_qsort(v.data(), v.size(), sizeof(int), compare_ints);
    EXPECT_EQ(v, expected) << "n=" << n;
  }
}

TEST(Qsort, SortsOddSizedElementsAndSortedInput) {
  std::vector<Record> records(500);
  for (size_t i = 0; i < records.size(); i++) {
    records[i].key = static_cast<unsigned>((i * 7919) % 500);
    std::snprintf(records[i].payload, sizeof records[i].payload, "r%u", records[i].key);
  }
  paf_test_qsort(records.data(), records.size(), sizeof(Record), compare_records);
  for (size_t i = 0; i < records.size(); i++) {
    EXPECT_EQ(records[i].key, i);
    EXPECT_EQ(std::string(records[i].payload), "r" + std::to_string(i));
  }
  paf_test_qsort(records.data(), records.size(), sizeof(Record), compare_records);  // sorted input
  EXPECT_TRUE(std::is_sorted(records.begin(), records.end(),
                             [](const Record& a, const Record& b) { return a.key < b.key; }));
}

TEST(Bsearch, FindsEveryElementAndMissesOthers) {
  std::vector<int> v;
  for (int i = 0; i < 100; i++) v.push_back(i * 2);
  for (int key = -1; key < 201; key++) {
    void* found = paf_test_bsearch(&key, v.data(), v.size(), sizeof(int), compare_ints);
    if (key >= 0 && key % 2 == 0 && key < 200) {
      ASSERT_NE(found, nullptr);
      EXPECT_EQ(*static_cast<int*>(found), key);
    } else {
      EXPECT_EQ(found, nullptr) << key;
    }
  }
}

const char* const kNumbers[] = {
    "0", "42", "-42", "+17", "   \t\n 99xyz", "0x1f", "0X1F", "-0x10", "0x", "0xg", "017", "09",
    "z", "", "-", "+", " ", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616", "-1",
    "-18446744073709551615", "99999999999999999999999999", "1010", "zz", "ZZ", "7fffffff",
};

TEST(Strtol, MatchesGlibc) {
  for (const char* s : kNumbers) {
    for (int base : {0, 2, 8, 10, 16, 36}) {
      char *end_ours, *end_theirs;
      paf_test_errno = 0;
      errno = 0;
      long ours = paf_test_strtol(s, &end_ours, base);
      long theirs = std::strtol(s, &end_theirs, base);
      EXPECT_EQ(ours, theirs) << '"' << s << "\" base " << base;
      EXPECT_EQ(end_ours - s, end_theirs - s) << '"' << s << "\" base " << base;
      EXPECT_EQ(paf_test_errno == ERANGE, errno == ERANGE) << '"' << s << "\" base " << base;

      paf_test_errno = 0;
      errno = 0;
      unsigned long uours = paf_test_strtoul(s, &end_ours, base);
      unsigned long utheirs = std::strtoul(s, &end_theirs, base);
      EXPECT_EQ(uours, utheirs) << '"' << s << "\" base " << base;
      EXPECT_EQ(end_ours - s, end_theirs - s) << '"' << s << "\" base " << base;
      EXPECT_EQ(paf_test_errno == ERANGE, errno == ERANGE) << '"' << s << "\" base " << base;

      EXPECT_EQ(paf_test_strtoll(s, nullptr, base), std::strtoll(s, nullptr, base));
      EXPECT_EQ(paf_test_strtoull(s, nullptr, base), std::strtoull(s, nullptr, base));
    }
    EXPECT_EQ(paf_test_atoi(s), static_cast<int>(std::strtol(s, nullptr, 10))) << s;
  }
}

TEST(Strtol, RejectsInvalidBase) {
  char* end;
  const char* s = "123";
  EXPECT_EQ(paf_test_strtol(s, &end, 1), 0);
  EXPECT_EQ(end, s);
  EXPECT_EQ(paf_test_strtol(s, &end, 37), 0);
  EXPECT_EQ(end, s);
}

}  // namespace
