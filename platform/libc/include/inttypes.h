/* paf libc: <inttypes.h>, the printf/scanf macros for x86_64 (LP64). */
#ifndef PAF_LIBC_INTTYPES_H
#define PAF_LIBC_INTTYPES_H

#include <features.h>
#include <stdint.h>

#define PRId8 "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 "ld"
#define PRIi8 "i"
#define PRIi16 "i"
#define PRIi32 "i"
#define PRIi64 "li"
#define PRIu8 "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 "lu"
#define PRIx8 "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 "lx"
#define PRIX8 "X"
#define PRIX16 "X"
#define PRIX32 "X"
#define PRIX64 "lX"
#define PRIo32 "o"
#define PRIo64 "lo"
#define PRIdMAX "jd"
#define PRIuMAX "ju"
#define PRIxMAX "jx"
#define PRIdPTR "ld"
#define PRIuPTR "lu"
#define PRIxPTR "lx"
#define PRIXPTR "lX"
#define SCNd32 "d"
#define SCNu32 "u"
#define SCNx32 "x"
#define SCNd64 "ld"
#define SCNu64 "lu"
#define SCNx64 "lx"

typedef struct { intmax_t quot, rem; } imaxdiv_t;

__PAF_BEGIN_DECLS
intmax_t imaxabs(intmax_t x) __PAF_NOTHROW;
imaxdiv_t imaxdiv(intmax_t num, intmax_t den) __PAF_NOTHROW;
intmax_t strtoimax(const char *__restrict s, char **__restrict end, int base) __PAF_NOTHROW;
uintmax_t strtoumax(const char *__restrict s, char **__restrict end, int base) __PAF_NOTHROW;
/* Declared for libstdc++'s <cinttypes>; not implemented (no wide characters). */
intmax_t wcstoimax(const __WCHAR_TYPE__ *__restrict s, __WCHAR_TYPE__ **__restrict end, int base);
uintmax_t wcstoumax(const __WCHAR_TYPE__ *__restrict s, __WCHAR_TYPE__ **__restrict end, int base);
__PAF_END_DECLS

#endif
