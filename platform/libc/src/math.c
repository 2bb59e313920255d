/* fabs, ceil and floor on the bits of the double (no FPU rounding mode is
 * touched, and gcc may not turn these into calls to themselves). */
#include <math.h>
#include <stdint.h>
#include <string.h>

static uint64_t bits_of(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits;
}

static double double_of(uint64_t bits) {
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

double fabs(double x) { return double_of(bits_of(x) & ~(UINT64_C(1) << 63)); }

/* x rounded towards zero to an integer (sign kept, so -0.5 gives -0). */
static double truncated(double x, int *was_exact) {
  uint64_t bits = bits_of(x);
  int exponent = (int)((bits >> 52) & 0x7ff) - 1023;
  *was_exact = 1;
  if (exponent >= 52) return x; /* an integer already, or inf/NaN */
  if (exponent < 0) {           /* |x| < 1 */
    *was_exact = (bits << 1) == 0;
    return double_of(bits & (UINT64_C(1) << 63));
  }
  uint64_t fraction_mask = (UINT64_C(1) << (52 - exponent)) - 1;
  *was_exact = (bits & fraction_mask) == 0;
  return double_of(bits & ~fraction_mask);
}

double ceil(double x) {
  int exact;
  double t = truncated(x, &exact);
  if (exact || signbit(x)) return t; /* a negative x truncates upwards */
  return t + 1.0;
}

double floor(double x) {
  int exact;
  double t = truncated(x, &exact);
  if (exact || !signbit(x)) return t;
  return t - 1.0;
}
