/* paf libc: <limits.h>. gcc's own limits.h has the numeric limits; it expects
 * a C library's limits.h around it, which is this file. */
#ifndef PAF_LIBC_LIMITS_H
#define PAF_LIBC_LIMITS_H

#define _LIBC_LIMITS_H_ /* tells gcc's limits.h there is no further one */
#include_next <limits.h>

#define SSIZE_MAX __LONG_MAX__
#define PATH_MAX 4096
#define IOV_MAX 1024

#endif
