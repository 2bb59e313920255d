/* The one printf engine: vsnprintf formats into a buffer and printf to the
 * console, both through a sink that takes the output piece by piece. */
#ifndef PAF_LIBC_FORMAT_H
#define PAF_LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

struct paf_format_sink {
  void (*write)(struct paf_format_sink *sink, const char *data, size_t size);
};

/* Formats `format` with `args` into `sink`; returns the number of characters
 * produced (whether or not the sink kept them), or -1 if it exceeds INT_MAX. */
int paf_format(struct paf_format_sink *sink, const char *format, va_list args);

#endif
