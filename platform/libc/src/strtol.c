/* String to integer conversions, as the C standard specifies them: leading
 * white space, an optional sign, a 0x/0X prefix for base 16 (or base 0),
 * a leading 0 meaning octal for base 0; on overflow the result saturates and
 * errno is ERANGE; `*end` points past the last digit used (at `s` if none). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

static int digit_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

/* Parses the magnitude; sets *negative and *overflow (magnitude > UINTMAX_MAX). */
static uintmax_t parse(const char *s, char **end, int base, int *negative, int *overflow) {
  const char *p = s;
  *negative = 0;
  *overflow = 0;
  if (end) *end = (char *)s;
  if (base < 0 || base == 1 || base > 36) {
    errno = EINVAL;
    return 0;
  }
  while (isspace((unsigned char)*p)) p++;
  if (*p == '+' || *p == '-') *negative = *p++ == '-';
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
      digit_value((unsigned char)p[2]) < 16) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = p[0] == '0' ? 8 : 10;
  }
  uintmax_t value = 0;
  const char *first = p;
  for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
    if (__builtin_mul_overflow(value, (uintmax_t)base, &value) ||
        __builtin_add_overflow(value, (uintmax_t)d, &value))
      *overflow = 1;
  }
  if (p == first) return 0; /* no digits: nothing converted */
  if (end) *end = (char *)p;
  return value;
}

static uintmax_t to_unsigned(const char *s, char **end, int base, uintmax_t max) {
  int negative, overflow;
  uintmax_t value = parse(s, end, base, &negative, &overflow);
  if (overflow || value > max) {
    errno = ERANGE;
    return max;
  }
  /* The standard negates in the unsigned type: strtoul("-1") is ULONG_MAX. */
  return negative ? (max & (0 - value)) : value;
}

static intmax_t to_signed(const char *s, char **end, int base, intmax_t min, intmax_t max) {
  int negative, overflow;
  uintmax_t value = parse(s, end, base, &negative, &overflow);
  if (negative) {
    if (overflow || value > (uintmax_t)max + 1) {
      errno = ERANGE;
      return min;
    }
    return value == (uintmax_t)max + 1 ? min : -(intmax_t)value;
  }
  if (overflow || value > (uintmax_t)max) {
    errno = ERANGE;
    return max;
  }
  return (intmax_t)value;
}

long strtol(const char *restrict s, char **restrict end, int base) {
  return (long)to_signed(s, end, base, LONG_MIN, LONG_MAX);
}
long long strtoll(const char *restrict s, char **restrict end, int base) {
  return (long long)to_signed(s, end, base, LLONG_MIN, LLONG_MAX);
}
intmax_t strtoimax(const char *restrict s, char **restrict end, int base) {
  return to_signed(s, end, base, INTMAX_MIN, INTMAX_MAX);
}
unsigned long strtoul(const char *restrict s, char **restrict end, int base) {
  return (unsigned long)to_unsigned(s, end, base, ULONG_MAX);
}
unsigned long long strtoull(const char *restrict s, char **restrict end, int base) {
  return (unsigned long long)to_unsigned(s, end, base, ULLONG_MAX);
}
uintmax_t strtoumax(const char *restrict s, char **restrict end, int base) {
  return to_unsigned(s, end, base, UINTMAX_MAX);
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
long long atoll(const char *s) { return strtoll(s, NULL, 10); }
