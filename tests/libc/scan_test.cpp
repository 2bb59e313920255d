// paf's sscanf against glibc's: the same count, the same values, the same
// stop (through %n).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "libc_under_test.h"

TEST(Sscanf, DoublesLikeGlibc) {
  // cJSON's check of its own printing: sscanf(text, "%lg", &d).
  char text[64];
  std::mt19937_64 random(7);
  for (int i = 0; i < 5000; i++) {
    uint64_t bits = random();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    std::snprintf(text, sizeof text, i % 2 ? "%1.15g" : "%1.17g", v);
    double ours = 0, theirs = 0;
    int n_ours = paf_test_sscanf(text, "%lg", &ours);
    int n_theirs = std::sscanf(text, "%lg", &theirs);
    EXPECT_EQ(n_ours, n_theirs) << text;
    if (v == v) {
      EXPECT_EQ(std::memcmp(&ours, &theirs, sizeof ours), 0) << text;
    }
  }
  for (const char* s : {"1.5", " -2e3 ", "inf", "1e400", "x", "", "  ", ".e1", "3.25e-2rest"}) {
    double ours = 7, theirs = 7;
    float ours_f = 7, theirs_f = 7;
    int used_ours = -1, used_theirs = -1;
    EXPECT_EQ(paf_test_sscanf(s, "%lf%n", &ours, &used_ours), std::sscanf(s, "%lf%n", &theirs, &used_theirs)) << s;
    EXPECT_EQ(ours, theirs) << s;
    EXPECT_EQ(used_ours, used_theirs) << s;
    EXPECT_EQ(paf_test_sscanf(s, "%e", &ours_f), std::sscanf(s, "%e", &theirs_f)) << s;
    EXPECT_EQ(ours_f, theirs_f) << s;
  }
}

TEST(Sscanf, IntegersStringsAndLiteralsLikeGlibc) {
  struct Case {
    const char* input;
    const char* format;
  };
  for (Case c : {Case{"12 34", "%d %d"}, Case{"12,34", "%d,%d"}, Case{"12;34", "%d,%d"},
                 Case{"-7 0x1f", "%i %i"}, Case{"017 +9", "%i%i"}, Case{"ff 777", "%x %o"}, Case{"12345", "%3d%d"},
                 Case{"  42abc", "%d%s"}, Case{"key=value", "%3s=%s"}, Case{"abc", "%2c%c"},
                 Case{"100%", "%d%%"}, Case{"1 2", "%*d %d"}, Case{"", "%d"}, Case{"   ", "%d"},
                 Case{"x", "%d"}, Case{"5", "%d %d"}, Case{"4294967295", "%u"}}) {
    long a_ours[2] = {-1, -1}, a_theirs[2] = {-1, -1};
    char s_ours[2][16] = {}, s_theirs[2][16] = {};
    int n_ours, n_theirs;
    if (std::strchr(c.format, 's') || std::strchr(c.format, 'c')) {
      // One integer or string, then a string or character.
      if (std::strstr(c.format, "%c%c") || std::strstr(c.format, "%2c")) {
        n_ours = paf_test_sscanf(c.input, c.format, s_ours[0], s_ours[1]);
        n_theirs = std::sscanf(c.input, c.format, s_theirs[0], s_theirs[1]);
      } else if (std::strstr(c.format, "%d%s")) {
        int i_ours = -1, i_theirs = -1;
        n_ours = paf_test_sscanf(c.input, c.format, &i_ours, s_ours[1]);
        n_theirs = std::sscanf(c.input, c.format, &i_theirs, s_theirs[1]);
        EXPECT_EQ(i_ours, i_theirs) << c.input;
      } else {
        n_ours = paf_test_sscanf(c.input, c.format, s_ours[0], s_ours[1]);
        n_theirs = std::sscanf(c.input, c.format, s_theirs[0], s_theirs[1]);
      }
    } else {
      std::string format(c.format);
      // Store into longs: %d -> %ld and so on.
      std::string long_format;
      for (std::size_t i = 0; i < format.size(); i++) {
        long_format += format[i];
        if (format[i] == '%' && i + 1 < format.size() && format[i + 1] != '%' &&
            format[i + 1] != '*') {
          while (i + 1 < format.size() && std::isdigit(static_cast<unsigned char>(format[i + 1])))
            long_format += format[++i];
          long_format += 'l';
        } else if (format[i] == '%' && i + 1 < format.size() && format[i + 1] == '%') {
          long_format += format[++i];
        }
      }
      n_ours = paf_test_sscanf(c.input, long_format.c_str(), &a_ours[0], &a_ours[1]);
      n_theirs = std::sscanf(c.input, long_format.c_str(), &a_theirs[0], &a_theirs[1]);
    }
    EXPECT_EQ(n_ours, n_theirs) << c.input << " / " << c.format;
    EXPECT_EQ(a_ours[0], a_theirs[0]) << c.input << " / " << c.format;
    EXPECT_EQ(a_ours[1], a_theirs[1]) << c.input << " / " << c.format;
    EXPECT_EQ(std::memcmp(s_ours, s_theirs, sizeof s_ours), 0) << c.input << " / " << c.format;
  }
}
