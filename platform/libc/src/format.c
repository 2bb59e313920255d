/* printf-style formatting: %d %i %u %x %X %o %c %s %p %%, doubles with
 * %e %E %f %F %g %G, flags "-0+ #", width and precision (also as *), length
 * modifiers hh h l ll z j t. Doubles are printed from their exact decimal
 * expansion (decimal.h), rounded half to even as glibc does. Neither %a/%A
 * nor long double (%Le...) is supported: such a directive consumes its
 * argument and is written out as given. %n is refused (written out as given)
 * because nothing needs it and it only invites bugs. */
#include "format.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "decimal.h"

enum {
  FLAG_LEFT = 1,   /* '-' */
  FLAG_ZERO = 2,   /* '0' */
  FLAG_PLUS = 4,   /* '+' */
  FLAG_SPACE = 8,  /* ' ' */
  FLAG_ALT = 16,   /* '#' */
};

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIG_L };

struct spec {
  unsigned flags;
  int width;     /* 0: none */
  int precision; /* -1: none */
  enum length length;
};

struct output {
  struct paf_format_sink *sink;
  size_t count;
};

static void emit(struct output *out, const char *data, size_t size) {
  if (size == 0) return;
  out->sink->write(out->sink, data, size);
  out->count += size;
}

static void emit_repeated(struct output *out, char c, size_t n) {
  char chunk[32];
  memset(chunk, c, sizeof chunk);
  while (n > 0) {
    size_t step = n < sizeof chunk ? n : sizeof chunk;
    emit(out, chunk, step);
    n -= step;
  }
}

/* Pads `body` (already complete, e.g. a string) to the field width. */
static void emit_field(struct output *out, const struct spec *spec, const char *body, size_t len) {
  size_t pad = spec->width > 0 && (size_t)spec->width > len ? (size_t)spec->width - len : 0;
  if (!(spec->flags & FLAG_LEFT)) emit_repeated(out, ' ', pad);
  emit(out, body, len);
  if (spec->flags & FLAG_LEFT) emit_repeated(out, ' ', pad);
}

static uintmax_t read_unsigned(va_list *args, enum length length) {
  switch (length) {
    case LEN_HH: return (unsigned char)va_arg(*args, unsigned int);
    case LEN_H: return (unsigned short)va_arg(*args, unsigned int);
    case LEN_L: return va_arg(*args, unsigned long);
    case LEN_LL: return va_arg(*args, unsigned long long);
    case LEN_Z: return va_arg(*args, size_t);
    case LEN_J: return va_arg(*args, uintmax_t);
    case LEN_T: return (uintmax_t)va_arg(*args, ptrdiff_t);
    default: return va_arg(*args, unsigned int);
  }
}

static intmax_t read_signed(va_list *args, enum length length) {
  switch (length) {
    case LEN_HH: return (signed char)va_arg(*args, int);
    case LEN_H: return (short)va_arg(*args, int);
    case LEN_L: return va_arg(*args, long);
    case LEN_LL: return va_arg(*args, long long);
    case LEN_Z: return va_arg(*args, long); /* the signed type of size_t */
    case LEN_J: return va_arg(*args, intmax_t);
    case LEN_T: return va_arg(*args, ptrdiff_t);
    default: return va_arg(*args, int);
  }
}

/* An integer conversion: [padding][sign][prefix][zeros]digits[padding]. */
static void emit_integer(struct output *out, const struct spec *spec, uintmax_t magnitude,
                         const char *sign, unsigned base, int upper, const char *prefix) {
  const char *digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char digits[3 * sizeof(uintmax_t) * CHAR_BIT / 8 + 2]; /* octal needs the most */
  size_t n = 0;
  while (magnitude) {
    digits[sizeof digits - 1 - n++] = digit_chars[magnitude % base];
    magnitude /= base;
  }
  /* Precision: the minimum number of digits; 0 with value 0 means none. */
  size_t min_digits = spec->precision >= 0 ? (size_t)spec->precision : 1;
  size_t zeros = min_digits > n ? min_digits - n : 0;
  /* %#o: the first digit is a zero (the digits never start with one). */
  if (base == 8 && (spec->flags & FLAG_ALT) && zeros == 0) zeros = 1;
  size_t sign_len = strlen(sign), prefix_len = strlen(prefix);
  size_t len = sign_len + prefix_len + zeros + n;
  size_t pad = spec->width > 0 && (size_t)spec->width > len ? (size_t)spec->width - len : 0;
  int zero_pad = (spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_LEFT) && spec->precision < 0;

  if (!zero_pad && !(spec->flags & FLAG_LEFT)) emit_repeated(out, ' ', pad);
  emit(out, sign, sign_len);
  emit(out, prefix, prefix_len);
  if (zero_pad) emit_repeated(out, '0', pad);
  emit_repeated(out, '0', zeros);
  emit(out, digits + sizeof digits - n, n);
  if (spec->flags & FLAG_LEFT) emit_repeated(out, ' ', pad);
}

/* A double's decimal digits: |value| = 0.DIGITS x 10^point. */
struct decimal {
  char digits[PAF_LIBC_EXACT_DIGITS_MAX];
  int count; /* 0: the value is zero (point is then 1) */
  int point;
};

/* The digit of weight 10^position (0 beyond the digits). */
static char digit_at(const struct decimal *d, long position) {
  long index = d->point - 1 - position;
  return index >= 0 && index < d->count ? d->digits[index] : '0';
}

/* Rounds to the digits of weight 10^lowest and above, half to even. */
static void round_at(struct decimal *d, long lowest) {
  long keep = d->point - lowest; /* how many leading digits stay */
  if (keep >= d->count) return;
  int up;
  if (keep < 0) {
    up = 0; /* below half a unit of 10^lowest */
  } else {
    char first_dropped = d->digits[keep];
    int more = keep + 1 < d->count; /* trailing zeros are never kept */
    char last_kept = keep > 0 ? d->digits[keep - 1] : '0';
    up = first_dropped > '5' || (first_dropped == '5' && (more || (last_kept - '0') % 2 == 1));
  }
  if (keep <= 0) {
    if (up) {
      d->digits[0] = '1';
      d->count = 1;
      d->point = (int)lowest + 1;
    } else {
      d->count = 0;
      d->point = 1;
    }
    return;
  }
  d->count = (int)keep;
  if (up) {
    int i = d->count - 1;
    while (i >= 0 && d->digits[i] == '9') i--;
    if (i < 0) { /* 99.9 -> 100 */
      d->digits[0] = '1';
      d->count = 1;
      d->point++;
      return;
    }
    d->digits[i]++;
    d->count = i + 1;
  }
  while (d->count > 0 && d->digits[d->count - 1] == '0') d->count--;
  if (d->count == 0) d->point = 1;
}

/* Emits the digits of weights 10^from down to 10^to (from >= to). */
static void emit_digits(struct output *out, const struct decimal *d, long from, long to) {
  char chunk[32];
  size_t n = 0;
  for (long position = from; position >= to; position--) {
    chunk[n++] = digit_at(d, position);
    if (n == sizeof chunk) emit(out, chunk, n), n = 0;
  }
  emit(out, chunk, n);
}

/* %e %f %g (and upper case): [padding][sign]digits[.digits][exponent][padding]. */
static void emit_double(struct output *out, const struct spec *spec, double value, char conversion) {
  int upper = conversion == 'E' || conversion == 'F' || conversion == 'G';
  char kind = upper ? (char)(conversion - 'A' + 'a') : conversion;
  const char *sign = signbit(value)              ? "-"
                     : spec->flags & FLAG_PLUS  ? "+"
                     : spec->flags & FLAG_SPACE ? " "
                                                : "";
  size_t sign_len = strlen(sign);
  if (!isfinite(value)) {
    struct spec field = *spec;
    char text[4];
    memcpy(text, sign, sign_len);
    memcpy(text + sign_len, isnan(value) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), 3);
    field.flags &= ~FLAG_ZERO;
    emit_field(out, &field, text, sign_len + 3);
    return;
  }
  struct decimal d;
  d.count = paf_libc_exact_digits(value, d.digits, &d.point);
  if (d.count == 1 && d.digits[0] == '0') d.count = 0, d.point = 1;

  long precision = spec->precision >= 0 ? spec->precision : 6;
  int exponential = kind == 'e';
  if (kind == 'g') {
    /* P significant digits; the %e exponent X of the rounded value picks
     * %e (precision P-1) or %f (precision P-1-X). */
    if (precision == 0) precision = 1;
    round_at(&d, d.point - precision);
    long x = d.count ? d.point - 1 : 0;
    exponential = !(x < precision && x >= -4);
    precision = exponential ? precision - 1 : precision - 1 - x;
  }
  long exponent = 0;
  if (exponential) {
    round_at(&d, d.point - 1 - precision);
    exponent = d.count ? d.point - 1 : 0;
    d.point -= (int)exponent; /* from here on, the digits of value / 10^exponent */
  } else {
    round_at(&d, -precision);
  }
  /* The digits shown: weights 10^high down to 10^low (low <= 0). */
  long high = d.point > 1 ? d.point - 1 : 0;
  long low = -precision;
  if (kind == 'g' && !(spec->flags & FLAG_ALT)) { /* no trailing zeros after the point */
    long last_nonzero = d.count ? d.point - d.count : 0;
    if (low < last_nonzero) low = last_nonzero < 0 ? last_nonzero : 0;
  }
  int point = low < 0 || (spec->flags & FLAG_ALT);

  char exponent_text[8];
  size_t exponent_len = 0;
  if (exponential) {
    long magnitude = exponent < 0 ? -exponent : exponent;
    char reversed[6];
    size_t n = 0;
    do reversed[n++] = (char)('0' + magnitude % 10), magnitude /= 10;
    while (magnitude);
    if (n < 2) reversed[n++] = '0';
    exponent_text[exponent_len++] = upper ? 'E' : 'e';
    exponent_text[exponent_len++] = exponent < 0 ? '-' : '+';
    while (n) exponent_text[exponent_len++] = reversed[--n];
  }
  size_t len = sign_len + (size_t)(high - low + 1) + (size_t)point + exponent_len;
  size_t pad = spec->width > 0 && (size_t)spec->width > len ? (size_t)spec->width - len : 0;
  int zero_pad = (spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_LEFT);

  if (!zero_pad && !(spec->flags & FLAG_LEFT)) emit_repeated(out, ' ', pad);
  emit(out, sign, sign_len);
  if (zero_pad) emit_repeated(out, '0', pad);
  emit_digits(out, &d, high, 0);
  if (point) emit(out, ".", 1);
  if (low < 0) emit_digits(out, &d, -1, low);
  emit(out, exponent_text, exponent_len);
  if (spec->flags & FLAG_LEFT) emit_repeated(out, ' ', pad);
}

/* Reads a decimal number; returns INT_MAX on overflow (the caller fails). */
static int read_decimal(const char **p) {
  long value = 0;
  while (**p >= '0' && **p <= '9') {
    if (value < INT_MAX) value = value * 10 + (**p - '0');
    (*p)++;
  }
  return value > INT_MAX ? INT_MAX : (int)value;
}

static const char *parse_spec(const char *p, struct spec *spec, va_list *args) {
  spec->flags = 0;
  for (;; p++) {
    if (*p == '-') spec->flags |= FLAG_LEFT;
    else if (*p == '0') spec->flags |= FLAG_ZERO;
    else if (*p == '+') spec->flags |= FLAG_PLUS;
    else if (*p == ' ') spec->flags |= FLAG_SPACE;
    else if (*p == '#') spec->flags |= FLAG_ALT;
    else break;
  }
  spec->width = 0;
  if (*p == '*') {
    int w = va_arg(*args, int);
    if (w < 0) { /* a negative width is a '-' flag */
      spec->flags |= FLAG_LEFT;
      w = w == INT_MIN ? INT_MAX : -w;
    }
    spec->width = w;
    p++;
  } else {
    spec->width = read_decimal(&p);
  }
  spec->precision = -1;
  if (*p == '.') {
    p++;
    if (*p == '*') {
      int prec = va_arg(*args, int);
      spec->precision = prec < 0 ? -1 : prec; /* negative: as if omitted */
      p++;
    } else {
      spec->precision = read_decimal(&p);
    }
  }
  spec->length = LEN_NONE;
  switch (*p) {
    case 'h':
      p++;
      spec->length = LEN_H;
      if (*p == 'h') p++, spec->length = LEN_HH;
      break;
    case 'l':
      p++;
      spec->length = LEN_L;
      if (*p == 'l') p++, spec->length = LEN_LL;
      break;
    case 'q': p++, spec->length = LEN_LL; break;
    case 'z': p++, spec->length = LEN_Z; break;
    case 'j': p++, spec->length = LEN_J; break;
    case 't': p++, spec->length = LEN_T; break;
    case 'L': p++, spec->length = LEN_BIG_L; break;
  }
  return p;
}

int paf_format(struct paf_format_sink *sink, const char *format, va_list args_in) {
  struct output out = {sink, 0};
  va_list args;
  va_copy(args, args_in);

  const char *p = format;
  while (*p) {
    if (*p != '%') {
      const char *text = p;
      while (*p && *p != '%') p++;
      emit(&out, text, (size_t)(p - text));
      continue;
    }
    const char *directive = p++;
    struct spec spec;
    p = parse_spec(p, &spec, &args);
    if (spec.width == INT_MAX || spec.precision == INT_MAX) {
      va_end(args);
      errno = EOVERFLOW;
      return -1;
    }
    char conversion = *p ? *p++ : '\0';
    switch (conversion) {
      case 'd':
      case 'i': {
        intmax_t value = read_signed(&args, spec.length);
        uintmax_t magnitude = value < 0 ? (uintmax_t)0 - (uintmax_t)value : (uintmax_t)value;
        const char *sign = value < 0                  ? "-"
                           : spec.flags & FLAG_PLUS  ? "+"
                           : spec.flags & FLAG_SPACE ? " "
                                                     : "";
        emit_integer(&out, &spec, magnitude, sign, 10, 0, "");
        break;
      }
      case 'u':
        emit_integer(&out, &spec, read_unsigned(&args, spec.length), "", 10, 0, "");
        break;
      case 'o':
        emit_integer(&out, &spec, read_unsigned(&args, spec.length), "", 8, 0, "");
        break;
      case 'x':
      case 'X': {
        uintmax_t value = read_unsigned(&args, spec.length);
        const char *prefix = (spec.flags & FLAG_ALT) && value ? (conversion == 'x' ? "0x" : "0X") : "";
        emit_integer(&out, &spec, value, "", 16, conversion == 'X', prefix);
        break;
      }
      case 'p': {
        void *pointer = va_arg(args, void *);
        if (!pointer) { /* as glibc prints it */
          spec.flags &= ~FLAG_ZERO;
          emit_field(&out, &spec, "(nil)", 5);
        } else {
          emit_integer(&out, &spec, (uintptr_t)pointer, "", 16, 0, "0x");
        }
        break;
      }
      case 'c': {
        char c = (char)va_arg(args, int);
        emit_field(&out, &spec, &c, 1);
        break;
      }
      case 's': {
        const char *s = va_arg(args, const char *);
        if (!s) s = "(null)";
        size_t len = spec.precision >= 0 ? strnlen(s, (size_t)spec.precision) : strlen(s);
        emit_field(&out, &spec, s, len);
        break;
      }
      case '%':
        emit(&out, "%", 1);
        break;
      case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
        if (spec.length != LEN_BIG_L) {
          emit_double(&out, &spec, va_arg(args, double), conversion);
          break;
        }
        (void)va_arg(args, long double);
        emit(&out, directive, (size_t)(p - directive));
        break;
      case 'a': case 'A':
        if (spec.length == LEN_BIG_L) (void)va_arg(args, long double);
        else (void)va_arg(args, double);
        emit(&out, directive, (size_t)(p - directive));
        break;
      default: /* unknown, %n, or the format ended inside a directive */
        emit(&out, directive, (size_t)(p - directive));
        break;
    }
  }
  va_end(args);
  if (out.count > INT_MAX) {
    errno = EOVERFLOW;
    return -1;
  }
  return (int)out.count;
}
