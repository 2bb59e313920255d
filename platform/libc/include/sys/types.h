/* paf libc: <sys/types.h>, for the few types the libraries take from it. */
#ifndef PAF_LIBC_SYS_TYPES_H
#define PAF_LIBC_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef long off_t;
typedef long time_t;
typedef long suseconds_t;

#endif
