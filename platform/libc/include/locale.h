/* paf libc: stand-in for <locale.h>. libstdc++'s <memory> reaches <clocale>
 * through <ostream>; paf has the "C" locale only and implements none of this
 * (a use fails at link time). */
#ifndef PAF_LIBC_LOCALE_H
#define PAF_LIBC_LOCALE_H

#include <features.h>

#define LC_ALL 6
#define LC_COLLATE 3
#define LC_CTYPE 0
#define LC_MONETARY 4
#define LC_NUMERIC 1
#define LC_TIME 2

struct lconv {
  char *decimal_point, *thousands_sep, *grouping;
};

/* The type libstdc++'s c++locale.h (configured for GNU) takes from here. */
typedef struct __locale_struct *__locale_t;
typedef __locale_t locale_t;

__PAF_BEGIN_DECLS
char *setlocale(int category, const char *locale);
struct lconv *localeconv(void);
__PAF_END_DECLS

#endif
