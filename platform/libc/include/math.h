/* paf libc: <math.h>, the subset cJSON and double-conversion need: the
 * classification macros, fabs, ceil and floor. The rest of C99's functions
 * are not provided. */
#ifndef PAF_LIBC_MATH_H
#define PAF_LIBC_MATH_H

#include <features.h>

#define HUGE_VAL (__builtin_huge_val())
#define INFINITY (__builtin_inff())
#define NAN (__builtin_nanf(""))

#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf_sign(x)
#define isfinite(x) __builtin_isfinite(x)
#define signbit(x) __builtin_signbit(x)

__PAF_BEGIN_DECLS

double fabs(double x) __PAF_NOTHROW;
/* The nearest integer not below (ceil) / not above (floor) x; NaN and the
 * infinities as they are, and -0 stays -0. */
double ceil(double x) __PAF_NOTHROW;
double floor(double x) __PAF_NOTHROW;

__PAF_END_DECLS

#endif
