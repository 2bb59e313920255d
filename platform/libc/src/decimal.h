/* Decimal <-> binary conversion of doubles, correctly rounded, by Google's
 * double-conversion (tools/deps.manifest; decimal.cpp is the glue): strtod
 * (strtod.c) and printf's %e/%f/%g (format.c) build on these two. */
#ifndef PAF_LIBC_DECIMAL_H
#define PAF_LIBC_DECIMAL_H

#ifdef __cplusplus
extern "C" {
#endif

/* The exact decimal expansion of a double has at most 767 significant digits
 * (that of the largest subnormal); this leaves room for the terminator. */
#define PAF_LIBC_EXACT_DIGITS_MAX 800

/* The exact decimal expansion of |value| (finite): writes its significant
 * digits (no leading zero, trailing zeros removed; "0" for zero) to `digits`,
 * returns their count and sets *point so that |value| = 0.DIGITS x 10^point. */
int paf_libc_exact_digits(double value, char digits[PAF_LIBC_EXACT_DIGITS_MAX], int *point);

/* DIGITS x 10^exponent, rounded to the nearest double (ties to even):
 * `digits` holds `count` decimal digits, the first not '0'; inf when too
 * large, 0 when too small. */
double paf_libc_decimal_to_double(const char *digits, int count, int exponent);

#ifdef __cplusplus
}
#endif

#endif
