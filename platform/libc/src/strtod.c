/* strtod and atof: leading white space, an optional sign, then decimal
 * digits with an optional point and exponent, or "inf", "infinity", "nan",
 * "nan(chars)" in any case. Correctly rounded (double-conversion, decimal.h).
 * Overflow gives +-HUGE_VAL, underflow 0 or a subnormal, both with errno
 * ERANGE. Hexadecimal floats are not read: "0x1p3" is 0, ending after "0". */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "decimal.h"

/* Whether `p` starts with `word` (lower case), in any case. */
static int starts_with_word(const char *p, const char *word) {
  for (; *word; p++, word++) {
    if (tolower((unsigned char)*p) != *word) return 0;
  }
  return 1;
}

/* The exponent is kept within this bound while it is read: any number of
 * digits beyond it is already 0 or infinity. */
#define EXPONENT_BOUND 100000

double strtod(const char *restrict s, char **restrict end) {
  const char *p = s;
  while (isspace((unsigned char)*p)) p++;
  int negative = 0;
  if (*p == '+' || *p == '-') negative = *p++ == '-';
  if (end) *end = (char *)s; /* until something is read */

  if (starts_with_word(p, "inf")) {
    p += starts_with_word(p, "infinity") ? 8 : 3;
    if (end) *end = (char *)p;
    return negative ? -HUGE_VAL : HUGE_VAL;
  }
  if (starts_with_word(p, "nan")) {
    p += 3;
    if (*p == '(') { /* nan(n-char-sequence) */
      const char *q = p + 1;
      while (isalnum((unsigned char)*q) || *q == '_') q++;
      if (*q == ')') p = q + 1;
    }
    if (end) *end = (char *)p;
    return negative ? -(double)NAN : (double)NAN;
  }

  /* The significant digits (leading zeros skipped), at most the buffer's:
   * beyond, a nonzero digit only matters as "more than shown", which a
   * final '1' says (double-conversion cuts long inputs the same way). */
  char digits[PAF_LIBC_EXACT_DIGITS_MAX];
  int count = 0, dropped_nonzero = 0, any_digit = 0;
  long exponent = 0; /* of the last digit kept */
  int seen_point = 0;
  for (;; p++) {
    if (*p == '.' && !seen_point) {
      seen_point = 1;
      continue;
    }
    if (*p < '0' || *p > '9') break;
    any_digit = 1;
    if (count == 0 && *p == '0') {
      if (seen_point) exponent--;
      continue;
    }
    if (count < PAF_LIBC_EXACT_DIGITS_MAX - 1) {
      digits[count++] = *p;
      if (seen_point) exponent--;
    } else {
      dropped_nonzero |= *p != '0';
      if (!seen_point) exponent++;
    }
  }
  if (!any_digit) return 0.0; /* "", ".", "+", "e5": nothing read */
  if (dropped_nonzero) digits[count++] = '1', exponent--;

  if (*p == 'e' || *p == 'E') {
    const char *q = p + 1;
    int exponent_negative = 0;
    if (*q == '+' || *q == '-') exponent_negative = *q++ == '-';
    if (*q >= '0' && *q <= '9') {
      long written = 0;
      for (; *q >= '0' && *q <= '9'; q++) {
        if (written < EXPONENT_BOUND) written = written * 10 + (*q - '0');
      }
      exponent += exponent_negative ? -written : written;
      p = q;
    }
  }
  if (end) *end = (char *)p;
  if (count == 0) return negative ? -0.0 : 0.0;
  if (exponent > EXPONENT_BOUND) exponent = EXPONENT_BOUND;
  if (exponent < -EXPONENT_BOUND) exponent = -EXPONENT_BOUND;

  double value = paf_libc_decimal_to_double(digits, count, (int)exponent);
  /* As glibc: a result rounded to infinity, to zero, or into the
   * subnormals (precision lost) is a range error. */
  if (isinf(value) || value < DBL_MIN) errno = ERANGE;
  return negative ? -value : value;
}

double atof(const char *s) { return strtod(s, NULL); }
