// Glue between paf's libc and double-conversion (decimal.h). C++ because the
// library is; no allocation, no state.
#include "decimal.h"

#include <double-conversion/double-to-string.h>
#include <double-conversion/strtod.h>

using double_conversion::DoubleToStringConverter;

extern "C" int paf_libc_exact_digits(double value, char digits[PAF_LIBC_EXACT_DIGITS_MAX],
                                     int* point) {
  // PRECISION mode with more digits than any double's exact expansion has:
  // nothing is rounded, so the caller can round as printf must (ties to even
  // on the exact value; double-conversion's own rounding breaks ties away
  // from zero).
  bool negative = false;
  int length = 0;
  DoubleToStringConverter::DoubleToAscii(value, DoubleToStringConverter::PRECISION,
                                         PAF_LIBC_EXACT_DIGITS_MAX - 1, digits,
                                         PAF_LIBC_EXACT_DIGITS_MAX, &negative, &length, point);
  while (length > 1 && digits[length - 1] == '0') length--;
  digits[length] = '\0';
  return length;
}

extern "C" double paf_libc_decimal_to_double(const char* digits, int count, int exponent) {
  return double_conversion::Strtod(double_conversion::Vector<const char>(digits, count), exponent);
}
