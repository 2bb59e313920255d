/* paf libc: <strings.h> (case-insensitive comparisons, ASCII only). */
#ifndef PAF_LIBC_STRINGS_H
#define PAF_LIBC_STRINGS_H

#include <features.h>
#include <stddef.h>

__PAF_BEGIN_DECLS
int strcasecmp(const char *a, const char *b) __PAF_NOTHROW;
int strncasecmp(const char *a, const char *b, size_t n) __PAF_NOTHROW;
__PAF_END_DECLS

#endif
