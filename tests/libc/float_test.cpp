// paf's floating point (strtod, printf's %e/%f/%g, fabs/ceil/floor) against
// glibc's, on edge cases and on many random values: same bits, same text,
// same errno, same end of parse.
#include <gtest/gtest.h>

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "libc_under_test.h"

namespace {

uint64_t bits_of(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

double double_of(uint64_t bits) {
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// Parses `text` with both: the same value (bit for bit; for NaN, its sign),
// the same end and the same errno.
void expect_same_strtod(const std::string& text) {
  const char* s = text.c_str();
  char* end_ours = nullptr;
  char* end_theirs = nullptr;
  paf_test_errno = 0;
  errno = 0;
  double ours = paf_test_strtod(s, &end_ours);
  double theirs = std::strtod(s, &end_theirs);
  if (std::isnan(theirs)) {
    EXPECT_TRUE(std::isnan(ours)) << text;
    EXPECT_EQ(std::signbit(ours), std::signbit(theirs)) << text;
  } else {
    EXPECT_EQ(bits_of(ours), bits_of(theirs)) << text << ": " << ours << " vs " << theirs;
  }
  EXPECT_EQ(end_ours - s, end_theirs - s) << text;
  EXPECT_EQ(paf_test_errno, errno) << text;
}

// Random doubles over the whole range: any bit pattern but NaN's.
std::vector<double> random_doubles(std::size_t count, uint32_t seed) {
  std::mt19937_64 random(seed);
  std::vector<double> values;
  while (values.size() < count) {
    double v = double_of(random());
    if (!std::isnan(v)) values.push_back(v);
  }
  return values;
}

const double edge_values[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.25, 0.375, 9.5, 99.5, 99.95,
    1e-5, 1e-4, 0.0001234, 123456.0, 1234567.0, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23,
    9007199254740992.0, 9007199254740993.0, 0.30000000000000004, 1.0 / 3, 2.0 / 3, M_PI,
    DBL_MAX, -DBL_MAX, DBL_MIN, DBL_EPSILON, DBL_TRUE_MIN, -DBL_TRUE_MIN,
    double_of(0x000fffffffffffffu),  // the largest subnormal
    2.2250738585072011e-308, HUGE_VAL, -HUGE_VAL, NAN, -NAN};

}  // namespace

TEST(Strtod, EdgeCasesLikeGlibc) {
  for (const char* text :
       {"0", "-0", "+0", "0.0", "-0.0", ".5", "5.", ".", "-", "+", "", "   ", "  42", "\t\n 7",
        "1e400", "-1e400", "1e-400", "-1e-400", "1e308", "1.8e308", "1e-320", "1e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "4.9406564584124654e-324",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
        "1.7976931348623158e308", "1.7976931348623159e308", "1e", "1e+", "1e-", "1ex", "1e+5x",
        "1E5", "1.5E-3", "00000000000000000000001.5", "0.000000000000000000000015",
        "9007199254740993", "9007199254740992.5", "0.1", "0.30000000000000004",
        "123456789012345678901234567890", "1e99999999999999999999", "1e-99999999999999999999",
        "0e99999999999999999999", "inf", "INF", "-inf", "infinity", "Infinity", "-INFINITY",
        "infinit", "infx", "nan", "NaN", "-nan", "nan(123)", "nan(abc_1)", "nan(", "nan(x",
        "nanx", "in", "na", "x1", "1.2.3", "--1", "+-1", "1,5", "12abc", "1 2"}) {
    expect_same_strtod(text);
  }
  // Decimal expansions longer than double-conversion keeps (780 digits):
  // just above, and exactly at, the halfway point between two doubles,
  // where the deciding digit comes after hundreds of zeros.
  const std::string halfway = "1.00000000000000011102230246251565404236316680908203125";
  expect_same_strtod(halfway + std::string(900, '0') + "1");
  expect_same_strtod(halfway + std::string(900, '0'));
  expect_same_strtod(halfway);
  expect_same_strtod(std::string(1000, '9'));
  expect_same_strtod("0." + std::string(1000, '0') + "1e1100");
}

TEST(Strtod, ReadsNoHexFloats) {
  char* end = nullptr;
  const char* s = "0x1p3";
  EXPECT_EQ(paf_test_strtod(s, &end), 0.0);
  EXPECT_EQ(end, s + 1);  // the "0"
}

TEST(Strtod, RoundTripsRandomDoublesLikeGlibc) {
  char text[64];
  for (double v : random_doubles(20000, 1)) {
    for (const char* format : {"%.17g", "%.15g", "%.6e", "%.25e"}) {
      std::snprintf(text, sizeof text, format, v);
      expect_same_strtod(text);
    }
    std::snprintf(text, sizeof text, "%.17g", v);
    EXPECT_EQ(bits_of(paf_test_strtod(text, nullptr)), bits_of(v)) << text;
  }
}

TEST(Strtod, RandomDecimalStringsLikeGlibc) {
  std::mt19937 random(2);
  std::uniform_int_distribution<int> digit(0, 9), length(1, 40), exponent(-360, 330);
  for (int i = 0; i < 20000; i++) {
    std::string text;
    int n = length(random);
    int point = std::uniform_int_distribution<int>(0, n)(random);
    for (int k = 0; k < n; k++) {
      if (k == point) text += '.';
      text += static_cast<char>('0' + digit(random));
    }
    text += "e" + std::to_string(exponent(random));
    expect_same_strtod(text);
  }
}

TEST(Atof, Parses) {
  EXPECT_EQ(paf_test_atof(" 2.5e3xyz"), 2500.0);
  EXPECT_EQ(paf_test_atof("nothing"), 0.0);
}

// Formats with both into generous buffers: identical text and return value.
#define EXPECT_SAME_DOUBLE_FORMAT(format, ...)                                 \
  do {                                                                        \
    static char ours[1600], theirs[1600];                                     \
    int n_ours = paf_test_snprintf(ours, sizeof ours, format, __VA_ARGS__);   \
    int n_theirs = std::snprintf(theirs, sizeof theirs, format, __VA_ARGS__); \
    EXPECT_STREQ(ours, theirs) << "format: " << format;                       \
    EXPECT_EQ(n_ours, n_theirs) << "format: " << format;                      \
  } while (0)

TEST(SnprintfDouble, EdgeValuesLikeGlibc) {
  for (double v : edge_values) {
    for (const char* format :
         {"%f", "%e", "%g", "%F", "%E", "%G", "%.0f", "%.0e", "%.0g", "%.1f", "%.3e", "%.3g",
          "%.17g", "%.15g", "%1.15g", "%1.17g", "%.20f", "%.40e", "%.60g", "%#g", "%#.0f",
          "%#.0e", "%#.3g", "%+f", "% e", "%+g", "%12.3f", "%-12.3e|", "%012.3f", "%-012g|",
          "%+015.4e", "%020g", "%10f", "%-10G|", "%.400f", "%.800e", "%.1100g"}) {
      EXPECT_SAME_DOUBLE_FORMAT(format, v);
    }
  }
  EXPECT_SAME_DOUBLE_FORMAT("[%*.*f][%.*e]", 12, 4, 3.14159, -1, 2.5);  // -1: no precision
  EXPECT_SAME_DOUBLE_FORMAT("%d %g %s %e %c", 1, 0.5, "x", 1e100, 'z');
}

// With '#', %g keeps its trailing zeros (C11 7.21.6.1) also when rounding
// carries into a new digit; glibc drops them there ("1.e+03"), a bug of its own.
TEST(SnprintfDouble, AlternateFormKeepsZerosAfterACarry) {
  char buf[32];
  EXPECT_EQ(paf_test_snprintf(buf, sizeof buf, "%#.3g", 999.9995), 8);
  EXPECT_STREQ(buf, "1.00e+03");
  EXPECT_EQ(paf_test_snprintf(buf, sizeof buf, "%#.3g", 99.99), 4);
  EXPECT_STREQ(buf, "100.");
}

TEST(SnprintfDouble, HalfwayCasesRoundToEvenLikeGlibc) {
  for (double v : {0.5, 1.5, 2.5, 3.5, -0.5, -2.5, 0.125, 0.375, 1.25, 2.675, 1e23, 25.0, 35.0,
                   1050.0, 1150.0}) {
    for (const char* format : {"%.0f", "%.1f", "%.2f", "%.0e", "%.1e", "%.1g", "%.2g"}) {
      EXPECT_SAME_DOUBLE_FORMAT(format, v);
    }
  }
}

TEST(SnprintfDouble, RandomDoublesLikeGlibc) {
  for (double v : random_doubles(5000, 3)) {
    for (const char* format : {"%1.15g", "%1.17g", "%.6e", "%.30e", "%g", "%.3g", "%.10f"}) {
      EXPECT_SAME_DOUBLE_FORMAT(format, v);
    }
  }
  // Ordinary magnitudes, where %f shows fraction digits.
  std::mt19937_64 random(4);
  std::uniform_real_distribution<double> mantissa(-10, 10);
  std::uniform_int_distribution<int> exponent(-12, 12);
  for (int i = 0; i < 20000; i++) {
    double v = mantissa(random) * std::pow(10.0, exponent(random));
    for (const char* format : {"%f", "%.3f", "%.0f", "%g", "%.12g", "%#.5g", "%e", "%.2e"}) {
      EXPECT_SAME_DOUBLE_FORMAT(format, v);
    }
  }
}

TEST(Math, FabsCeilFloorLikeGlibc) {
  std::vector<double> values(std::begin(edge_values), std::end(edge_values));
  for (double v : {0.4, 0.5, 0.6, -0.4, -0.5, -0.6, 1.0000001, -1.0000001, 4503599627370495.5,
                   -4503599627370495.5, 4503599627370496.0, 1e300, -1e-300}) {
    values.push_back(v);
  }
  for (double v : random_doubles(2000, 5)) values.push_back(v);
  std::mt19937_64 random(6);
  std::uniform_real_distribution<double> ordinary(-1e6, 1e6);
  for (int i = 0; i < 2000; i++) values.push_back(ordinary(random));
  for (double v : values) {
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(paf_test_ceil(v)) && std::isnan(paf_test_floor(v)));
      continue;
    }
    EXPECT_EQ(bits_of(paf_test_fabs(v)), bits_of(std::fabs(v))) << v;
    EXPECT_EQ(bits_of(paf_test_ceil(v)), bits_of(std::ceil(v))) << v;
    EXPECT_EQ(bits_of(paf_test_floor(v)), bits_of(std::floor(v))) << v;
  }
}
