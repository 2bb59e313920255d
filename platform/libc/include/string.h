/* paf libc: <string.h>. */
#ifndef PAF_LIBC_STRING_H
#define PAF_LIBC_STRING_H

#include <features.h>
#include <stddef.h>

__PAF_BEGIN_DECLS

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n) __PAF_NOTHROW;
void *memmove(void *dst, const void *src, size_t n) __PAF_NOTHROW;
void *memset(void *dst, int c, size_t n) __PAF_NOTHROW;
int memcmp(const void *a, const void *b, size_t n) __PAF_NOTHROW;
void *memchr(const void *s, int c, size_t n) __PAF_NOTHROW;

size_t strlen(const char *s) __PAF_NOTHROW;
size_t strnlen(const char *s, size_t max) __PAF_NOTHROW;
int strcmp(const char *a, const char *b) __PAF_NOTHROW;
int strncmp(const char *a, const char *b, size_t n) __PAF_NOTHROW;
int strcoll(const char *a, const char *b) __PAF_NOTHROW;
char *strcpy(char *__restrict dst, const char *__restrict src) __PAF_NOTHROW;
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n) __PAF_NOTHROW;
char *strcat(char *__restrict dst, const char *__restrict src) __PAF_NOTHROW;
char *strncat(char *__restrict dst, const char *__restrict src, size_t n) __PAF_NOTHROW;
char *strchr(const char *s, int c) __PAF_NOTHROW;
char *strrchr(const char *s, int c) __PAF_NOTHROW;
char *strstr(const char *haystack, const char *needle) __PAF_NOTHROW;
size_t strspn(const char *s, const char *accept) __PAF_NOTHROW;
size_t strcspn(const char *s, const char *reject) __PAF_NOTHROW;
char *strpbrk(const char *s, const char *accept) __PAF_NOTHROW;
char *strdup(const char *s) __PAF_NOTHROW;
char *strndup(const char *s, size_t n) __PAF_NOTHROW;
char *strerror(int errnum) __PAF_NOTHROW;

/* Declared because libstdc++'s <cstring> names them; not implemented (a use
 * fails at link time): no locales, no hidden-state tokenizer. */
size_t strxfrm(char *__restrict dst, const char *__restrict src, size_t n) __PAF_NOTHROW;
char *strtok(char *__restrict s, const char *__restrict delim) __PAF_NOTHROW;

__PAF_END_DECLS

#endif
