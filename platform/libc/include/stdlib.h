/* paf libc: <stdlib.h>. */
#ifndef PAF_LIBC_STDLIB_H
#define PAF_LIBC_STDLIB_H

#include <features.h>
#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 32767
#define MB_CUR_MAX 1

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

__PAF_BEGIN_DECLS

/* The heap: the platform hands the allocator one region at boot, before the
 * first allocation. Out of memory is reported as NULL, never by aborting. */
void paf_libc_heap_init(void *base, size_t size) __PAF_NOTHROW;
void *malloc(size_t size) __PAF_NOTHROW;
void *calloc(size_t count, size_t size) __PAF_NOTHROW;
void *realloc(void *ptr, size_t size) __PAF_NOTHROW;
void *aligned_alloc(size_t alignment, size_t size) __PAF_NOTHROW;
int posix_memalign(void **out, size_t alignment, size_t size) __PAF_NOTHROW;
void free(void *ptr) __PAF_NOTHROW;

int atoi(const char *s) __PAF_NOTHROW;
long atol(const char *s) __PAF_NOTHROW;
long long atoll(const char *s) __PAF_NOTHROW;
long strtol(const char *__restrict s, char **__restrict end, int base) __PAF_NOTHROW;
unsigned long strtoul(const char *__restrict s, char **__restrict end, int base) __PAF_NOTHROW;
long long strtoll(const char *__restrict s, char **__restrict end, int base) __PAF_NOTHROW;
unsigned long long strtoull(const char *__restrict s, char **__restrict end, int base) __PAF_NOTHROW;

int abs(int x) __PAF_NOTHROW;
long labs(long x) __PAF_NOTHROW;
long long llabs(long long x) __PAF_NOTHROW;
div_t div(int num, int den) __PAF_NOTHROW;
ldiv_t ldiv(long num, long den) __PAF_NOTHROW;
lldiv_t lldiv(long long num, long long den) __PAF_NOTHROW;

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
/* The C standard's example generator: RAND_MAX is 32767. Not for secrets. */
int rand(void) __PAF_NOTHROW;
void srand(unsigned seed) __PAF_NOTHROW;

void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *));

/* No environment on bare metal: always NULL. */
char *getenv(const char *name) __PAF_NOTHROW;

void abort(void) __PAF_NOTHROW __attribute__((noreturn));
void exit(int status) __attribute__((noreturn));
void _Exit(int status) __PAF_NOTHROW __attribute__((noreturn));
int atexit(void (*function)(void)) __PAF_NOTHROW;

/* Declared because libstdc++'s <cstdlib> names them; not implemented (a use
 * fails at link time): no floating-point parsing, no multibyte locales, no
 * processes. */
double atof(const char *s) __PAF_NOTHROW;
double strtod(const char *__restrict s, char **__restrict end) __PAF_NOTHROW;
float strtof(const char *__restrict s, char **__restrict end) __PAF_NOTHROW;
long double strtold(const char *__restrict s, char **__restrict end) __PAF_NOTHROW;
int system(const char *command);
int at_quick_exit(void (*function)(void)) __PAF_NOTHROW;
void quick_exit(int status) __PAF_NOTHROW __attribute__((noreturn));
int mblen(const char *s, size_t n) __PAF_NOTHROW;
int mbtowc(wchar_t *__restrict wc, const char *__restrict s, size_t n) __PAF_NOTHROW;
int wctomb(char *s, wchar_t wc) __PAF_NOTHROW;
size_t mbstowcs(wchar_t *__restrict dst, const char *__restrict src, size_t n) __PAF_NOTHROW;
size_t wcstombs(char *__restrict dst, const wchar_t *__restrict src, size_t n) __PAF_NOTHROW;

__PAF_END_DECLS

#endif
