/* sscanf over strtol/strtoul/strtod: what stdio.h lists. A directive that
 * is not supported ends the scan, as a matching failure does. */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIG_L };

static void store_integer(va_list *args, enum length length, unsigned long long value) {
  switch (length) {
    case LEN_HH: *va_arg(*args, char *) = (char)value; break;
    case LEN_H: *va_arg(*args, short *) = (short)value; break;
    case LEN_L: *va_arg(*args, long *) = (long)value; break;
    case LEN_LL: *va_arg(*args, long long *) = (long long)value; break;
    case LEN_Z: *va_arg(*args, size_t *) = (size_t)value; break;
    case LEN_J: *va_arg(*args, intmax_t *) = (intmax_t)value; break;
    case LEN_T: *va_arg(*args, ptrdiff_t *) = (ptrdiff_t)value; break;
    default: *va_arg(*args, int *) = (int)value; break;
  }
}

int vsscanf(const char *restrict s, const char *restrict format, va_list args_in) {
  va_list args;
  va_copy(args, args_in);
  const char *in = s;
  const char *f = format;
  int assigned = 0, converted_any = 0;
  while (*f) {
    if (isspace((unsigned char)*f)) { /* any amount of white space, none included */
      while (isspace((unsigned char)*f)) f++;
      while (isspace((unsigned char)*in)) in++;
      continue;
    }
    if (*f != '%' || f[1] == '%') {
      if (*f == '%') {
        f++;
        while (isspace((unsigned char)*in)) in++;
      }
      if (*in == '\0') goto input_failure;
      if (*in != *f) break;
      in++, f++;
      continue;
    }
    f++;
    int suppress = *f == '*';
    if (suppress) f++;
    size_t width = 0;
    while (*f >= '0' && *f <= '9') width = width * 10 + (size_t)(*f++ - '0');
    enum length length = LEN_NONE;
    switch (*f) {
      case 'h': f++, length = LEN_H; if (*f == 'h') f++, length = LEN_HH; break;
      case 'l': f++, length = LEN_L; if (*f == 'l') f++, length = LEN_LL; break;
      case 'z': f++, length = LEN_Z; break;
      case 'j': f++, length = LEN_J; break;
      case 't': f++, length = LEN_T; break;
      case 'L': f++, length = LEN_BIG_L; break;
    }
    char conversion = *f ? *f++ : '\0';
    if (conversion == 'n') {
      if (!suppress) store_integer(&args, length, (unsigned long long)(in - s));
      continue;
    }
    if (conversion != 'c') {
      while (isspace((unsigned char)*in)) in++;
    }
    if (*in == '\0') goto input_failure;

    /* A width limits the field: it is scanned from a copy that long. */
    char field[512];
    const char *from = in;
    if (width > 0 && conversion != 'c' && conversion != 's') {
      size_t n = strnlen(in, width < sizeof field - 1 ? width : sizeof field - 1);
      memcpy(field, in, n);
      field[n] = '\0';
      from = field;
    }
    char *end = NULL;
    switch (conversion) {
      case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
        int base = conversion == 'd' || conversion == 'u' ? 10
                   : conversion == 'i'                     ? 0
                   : conversion == 'o'                     ? 8
                                                           : 16;
        unsigned long long value = conversion == 'd' || conversion == 'i'
                                       ? (unsigned long long)strtoll(from, &end, base)
                                       : strtoull(from, &end, base);
        if (end == from || length == LEN_BIG_L) goto done;
        if (!suppress) store_integer(&args, length, value), assigned++;
        break;
      }
      case 'e': case 'f': case 'g': case 'E': case 'G': {
        double value = strtod(from, &end);
        if (end == from || length == LEN_BIG_L) goto done;
        if (!suppress) {
          if (length == LEN_L) *va_arg(args, double *) = value;
          else *va_arg(args, float *) = (float)value;
          assigned++;
        }
        break;
      }
      case 's': {
        char *out = suppress ? NULL : va_arg(args, char *);
        size_t n = 0;
        while (in[n] && !isspace((unsigned char)in[n]) && (width == 0 || n < width)) {
          if (out) out[n] = in[n];
          n++;
        }
        if (out) out[n] = '\0', assigned++;
        end = (char *)in + n;
        from = in;
        break;
      }
      case 'c': {
        char *out = suppress ? NULL : va_arg(args, char *);
        size_t n = width ? width : 1;
        if (strnlen(in, n) < n) goto input_failure;
        if (out) memcpy(out, in, n), assigned++;
        end = (char *)in + n;
        from = in;
        break;
      }
      default: /* unsupported, or the format ended inside a directive */
        goto done;
    }
    in += end - from;
    converted_any = 1;
  }
done:
  va_end(args);
  return assigned;
input_failure:
  va_end(args);
  return converted_any || assigned ? assigned : EOF;
}

int sscanf(const char *restrict s, const char *restrict format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsscanf(s, format, args);
  va_end(args);
  return n;
}
