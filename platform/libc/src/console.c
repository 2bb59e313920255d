/* stdio to the platform console. There are no files: stdout and stderr are
 * both the console, unbuffered across calls (each call's output is gathered
 * in a small buffer and written at once, so lines are not split needlessly). */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "paf/platform.h"

struct __paf_file {
  int unused;
};
static struct __paf_file console;
FILE *const stdout = &console;
FILE *const stderr = &console;
FILE *const stdin = NULL; /* there is no input */

struct console_sink {
  struct paf_format_sink sink;
  char buf[128];
  size_t used;
};

static void console_flush(struct console_sink *c) {
  if (c->used) paf_console_write(c->buf, c->used);
  c->used = 0;
}

static void console_sink_write(struct paf_format_sink *sink, const char *data, size_t size) {
  struct console_sink *c = (struct console_sink *)sink;
  if (size > sizeof c->buf) { /* large pieces go straight out */
    console_flush(c);
    paf_console_write(data, size);
    return;
  }
  if (c->used + size > sizeof c->buf) console_flush(c);
  memcpy(c->buf + c->used, data, size);
  c->used += size;
}

int vfprintf(FILE *restrict stream, const char *restrict format, va_list args) {
  (void)stream;
  struct console_sink c;
  c.sink.write = console_sink_write;
  c.used = 0;
  int n = paf_format(&c.sink, format, args);
  console_flush(&c);
  return n;
}

int vprintf(const char *restrict format, va_list args) { return vfprintf(stdout, format, args); }

int fprintf(FILE *restrict stream, const char *restrict format, ...) {
  va_list args;
  va_start(args, format);
  int n = vfprintf(stream, format, args);
  va_end(args);
  return n;
}

int printf(const char *restrict format, ...) {
  va_list args;
  va_start(args, format);
  int n = vfprintf(stdout, format, args);
  va_end(args);
  return n;
}

size_t fwrite(const void *restrict data, size_t size, size_t count, FILE *restrict stream) {
  (void)stream;
  if (size == 0 || count == 0) return 0;
  paf_console_write(data, size * count);
  return count;
}

int fputs(const char *restrict s, FILE *restrict stream) {
  fwrite(s, 1, strlen(s), stream);
  return 0;
}

int puts(const char *s) {
  fputs(s, stdout);
  paf_console_write("\n", 1);
  return 0;
}

int fputc(int c, FILE *stream) {
  char ch = (char)c;
  fwrite(&ch, 1, 1, stream);
  return (unsigned char)c;
}

int putc(int c, FILE *stream) { return fputc(c, stream); }
int putchar(int c) { return fputc(c, stdout); }

int fflush(FILE *stream) {
  (void)stream; /* nothing is buffered between calls */
  return 0;
}
