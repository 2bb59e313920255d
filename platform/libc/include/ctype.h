/* paf libc: <ctype.h>. The "C" locale only (ASCII). */
#ifndef PAF_LIBC_CTYPE_H
#define PAF_LIBC_CTYPE_H

#include <features.h>

__PAF_BEGIN_DECLS
int isalnum(int c) __PAF_NOTHROW;
int isalpha(int c) __PAF_NOTHROW;
int isblank(int c) __PAF_NOTHROW;
int iscntrl(int c) __PAF_NOTHROW;
int isdigit(int c) __PAF_NOTHROW;
int isgraph(int c) __PAF_NOTHROW;
int islower(int c) __PAF_NOTHROW;
int isprint(int c) __PAF_NOTHROW;
int ispunct(int c) __PAF_NOTHROW;
int isspace(int c) __PAF_NOTHROW;
int isupper(int c) __PAF_NOTHROW;
int isxdigit(int c) __PAF_NOTHROW;
int tolower(int c) __PAF_NOTHROW;
int toupper(int c) __PAF_NOTHROW;
__PAF_END_DECLS

/* Character-class masks that libstdc++'s ctype_base.h (configured for
 * GNU/Linux) takes from the C library; glibc's values, little-endian. */
#define _ISupper 0x100
#define _ISlower 0x200
#define _ISalpha 0x400
#define _ISdigit 0x800
#define _ISxdigit 0x1000
#define _ISspace 0x2000
#define _ISprint 0x4000
#define _ISgraph 0x8000
#define _ISblank 0x1
#define _IScntrl 0x2
#define _ISpunct 0x4
#define _ISalnum 0x8

#endif
