/* paf libc: <stdio.h>. Formatting into buffers, and printing to the platform
 * console; there are no files. stdout/stderr both mean the console. */
#ifndef PAF_LIBC_STDIO_H
#define PAF_LIBC_STDIO_H

#include <features.h>
#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)
#define BUFSIZ 1024
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

typedef struct __paf_file FILE;
typedef long fpos_t;

__PAF_BEGIN_DECLS

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;
#ifndef stdin /* the standard wants macros; hosted tests rename them */
#define stdin stdin
#define stdout stdout
#define stderr stderr
#endif

int snprintf(char *__restrict buf, size_t size, const char *__restrict format, ...) __PAF_NOTHROW
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *__restrict buf, size_t size, const char *__restrict format, va_list args)
    __PAF_NOTHROW __attribute__((format(printf, 3, 0)));
int sprintf(char *__restrict buf, const char *__restrict format, ...) __PAF_NOTHROW
    __attribute__((format(printf, 2, 3)));
int vsprintf(char *__restrict buf, const char *__restrict format, va_list args) __PAF_NOTHROW
    __attribute__((format(printf, 2, 0)));

/* Scanning a string (scan.c): %d %i %u %o %x %X, %e %f %g %E %G (double
 * with l, float without), %s %c %n %%, widths, '*' and the integer length
 * modifiers; no %[...], no %p, no long double. */
int sscanf(const char *__restrict s, const char *__restrict format, ...) __PAF_NOTHROW
    __attribute__((format(scanf, 2, 3)));
int vsscanf(const char *__restrict s, const char *__restrict format, va_list args) __PAF_NOTHROW
    __attribute__((format(scanf, 2, 0)));

/* To the console (stdout and stderr alike). */
int printf(const char *__restrict format, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *__restrict format, va_list args) __attribute__((format(printf, 1, 0)));
int fprintf(FILE *__restrict stream, const char *__restrict format, ...)
    __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *__restrict stream, const char *__restrict format, va_list args)
    __attribute__((format(printf, 2, 0)));
int puts(const char *s);
int fputs(const char *__restrict s, FILE *__restrict stream);
int putchar(int c);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
size_t fwrite(const void *__restrict data, size_t size, size_t count, FILE *__restrict stream);
int fflush(FILE *stream);

/* Declared because libstdc++'s <cstdio> names them; not implemented (a use
 * fails at link time): no files, no input, no scanning but a string's. */
void clearerr(FILE *stream);
int fclose(FILE *stream);
int feof(FILE *stream);
int ferror(FILE *stream);
int fgetc(FILE *stream);
int fgetpos(FILE *__restrict stream, fpos_t *__restrict pos);
char *fgets(char *__restrict s, int n, FILE *__restrict stream);
FILE *fopen(const char *__restrict path, const char *__restrict mode);
size_t fread(void *__restrict data, size_t size, size_t count, FILE *__restrict stream);
FILE *freopen(const char *__restrict path, const char *__restrict mode, FILE *__restrict stream);
int fscanf(FILE *__restrict stream, const char *__restrict format, ...);
int fseek(FILE *stream, long offset, int whence);
int fsetpos(FILE *stream, const fpos_t *pos);
long ftell(FILE *stream);
int getc(FILE *stream);
int getchar(void);
void perror(const char *s);
int remove(const char *path);
int rename(const char *from, const char *to);
void rewind(FILE *stream);
int scanf(const char *__restrict format, ...);
void setbuf(FILE *__restrict stream, char *__restrict buf);
int setvbuf(FILE *__restrict stream, char *__restrict buf, int mode, size_t size);
FILE *tmpfile(void);
char *tmpnam(char *s);
int ungetc(int c, FILE *stream);
int vfscanf(FILE *__restrict stream, const char *__restrict format, va_list args);
int vscanf(const char *__restrict format, va_list args);

__PAF_END_DECLS

#endif
