/* paf libc: stand-in for <wchar.h>. libstdc++'s char_traits (hence
 * <string_view>) includes <cwchar>, which names these; paf uses no wide
 * characters, so none is implemented except the wmem* functions that
 * char_traits<wchar_t> may call (a use of any other fails at link time). */
#ifndef PAF_LIBC_WCHAR_H
#define PAF_LIBC_WCHAR_H

#include <features.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define WEOF (0xffffffffu)
#ifndef WCHAR_MIN
#define WCHAR_MIN __WCHAR_MIN__
#define WCHAR_MAX __WCHAR_MAX__
#endif

typedef unsigned int wint_t;
typedef struct { unsigned int count, value; } mbstate_t;

__PAF_BEGIN_DECLS
wint_t btowc(int c);
wint_t fgetwc(FILE *stream);
wchar_t *fgetws(wchar_t *__restrict s, int n, FILE *__restrict stream);
wint_t fputwc(wchar_t c, FILE *stream);
int fputws(const wchar_t *__restrict s, FILE *__restrict stream);
int fwide(FILE *stream, int mode);
int fwprintf(FILE *__restrict stream, const wchar_t *__restrict format, ...);
int fwscanf(FILE *__restrict stream, const wchar_t *__restrict format, ...);
wint_t getwc(FILE *stream);
wint_t getwchar(void);
size_t mbrlen(const char *__restrict s, size_t n, mbstate_t *__restrict ps);
size_t mbrtowc(wchar_t *__restrict pwc, const char *__restrict s, size_t n, mbstate_t *__restrict ps);
int mbsinit(const mbstate_t *ps);
size_t mbsrtowcs(wchar_t *__restrict dst, const char **__restrict src, size_t n, mbstate_t *__restrict ps);
wint_t putwc(wchar_t c, FILE *stream);
wint_t putwchar(wchar_t c);
int swprintf(wchar_t *__restrict s, size_t n, const wchar_t *__restrict format, ...);
int swscanf(const wchar_t *__restrict s, const wchar_t *__restrict format, ...);
wint_t ungetwc(wint_t c, FILE *stream);
int vfwprintf(FILE *__restrict stream, const wchar_t *__restrict format, va_list args);
int vfwscanf(FILE *__restrict stream, const wchar_t *__restrict format, va_list args);
int vswprintf(wchar_t *__restrict s, size_t n, const wchar_t *__restrict format, va_list args);
int vswscanf(const wchar_t *__restrict s, const wchar_t *__restrict format, va_list args);
int vwprintf(const wchar_t *__restrict format, va_list args);
int vwscanf(const wchar_t *__restrict format, va_list args);
size_t wcrtomb(char *__restrict s, wchar_t wc, mbstate_t *__restrict ps);
wchar_t *wcscat(wchar_t *__restrict dst, const wchar_t *__restrict src);
int wcscmp(const wchar_t *a, const wchar_t *b);
int wcscoll(const wchar_t *a, const wchar_t *b);
wchar_t *wcscpy(wchar_t *__restrict dst, const wchar_t *__restrict src);
size_t wcscspn(const wchar_t *s, const wchar_t *reject);
size_t wcsftime(wchar_t *__restrict s, size_t max, const wchar_t *__restrict format,
                const struct tm *__restrict tm);
size_t wcslen(const wchar_t *s);
wchar_t *wcsncat(wchar_t *__restrict dst, const wchar_t *__restrict src, size_t n);
int wcsncmp(const wchar_t *a, const wchar_t *b, size_t n);
wchar_t *wcsncpy(wchar_t *__restrict dst, const wchar_t *__restrict src, size_t n);
size_t wcsrtombs(char *__restrict dst, const wchar_t **__restrict src, size_t n, mbstate_t *__restrict ps);
size_t wcsspn(const wchar_t *s, const wchar_t *accept);
double wcstod(const wchar_t *__restrict s, wchar_t **__restrict end);
float wcstof(const wchar_t *__restrict s, wchar_t **__restrict end);
long double wcstold(const wchar_t *__restrict s, wchar_t **__restrict end);
wchar_t *wcstok(wchar_t *__restrict s, const wchar_t *__restrict delim, wchar_t **__restrict save);
long wcstol(const wchar_t *__restrict s, wchar_t **__restrict end, int base);
long long wcstoll(const wchar_t *__restrict s, wchar_t **__restrict end, int base);
unsigned long wcstoul(const wchar_t *__restrict s, wchar_t **__restrict end, int base);
unsigned long long wcstoull(const wchar_t *__restrict s, wchar_t **__restrict end, int base);
size_t wcsxfrm(wchar_t *__restrict dst, const wchar_t *__restrict src, size_t n);
int wctob(wint_t c);
int wprintf(const wchar_t *__restrict format, ...);
int wscanf(const wchar_t *__restrict format, ...);
#ifdef __cplusplus
}
/* In C++ these are overloaded on constness by <cwchar>; declare the C forms. */
extern "C" {
#endif
wchar_t *wcschr(const wchar_t *s, wchar_t c);
wchar_t *wcspbrk(const wchar_t *s, const wchar_t *accept);
wchar_t *wcsrchr(const wchar_t *s, wchar_t c);
wchar_t *wcsstr(const wchar_t *haystack, const wchar_t *needle);
wchar_t *wmemchr(const wchar_t *s, wchar_t c, size_t n);
int wmemcmp(const wchar_t *a, const wchar_t *b, size_t n);
wchar_t *wmemcpy(wchar_t *__restrict dst, const wchar_t *__restrict src, size_t n);
wchar_t *wmemmove(wchar_t *dst, const wchar_t *src, size_t n);
wchar_t *wmemset(wchar_t *dst, wchar_t c, size_t n);
__PAF_END_DECLS

#endif
