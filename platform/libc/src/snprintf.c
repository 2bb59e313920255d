/* Formatting into a caller's buffer: the output is truncated to fit and always
 * NUL-terminated (when size > 0); the result is the untruncated length. */
#include <stdint.h>
#include <stdio.h>

#include "format.h"

struct buffer_sink {
  struct paf_format_sink sink;
  char *buf;
  size_t size; /* room for characters, the NUL excluded */
  size_t used;
};

static void buffer_write(struct paf_format_sink *sink, const char *data, size_t size) {
  struct buffer_sink *b = (struct buffer_sink *)sink;
  for (size_t i = 0; i < size && b->used < b->size; i++) b->buf[b->used++] = data[i];
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict format, va_list args) {
  struct buffer_sink b = {{buffer_write}, buf, size ? size - 1 : 0, 0};
  int n = paf_format(&b.sink, format, args);
  if (size) buf[b.used] = '\0';
  return n;
}

int snprintf(char *restrict buf, size_t size, const char *restrict format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsnprintf(buf, size, format, args);
  va_end(args);
  return n;
}

/* Unbounded, as the standard defines them; kept for code that insists. */
int vsprintf(char *restrict buf, const char *restrict format, va_list args) {
  return vsnprintf(buf, SIZE_MAX / 2, format, args);
}

int sprintf(char *restrict buf, const char *restrict format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsprintf(buf, format, args);
  va_end(args);
  return n;
}
