/* paf libc: <malloc.h>, glibc's mallinfo2() (glibc 2.33), so that an
 * application reads the heap's use the same way hosted and in the image. */
#ifndef PAF_LIBC_MALLOC_H
#define PAF_LIBC_MALLOC_H

#include <features.h>
#include <stddef.h>
#include <stdlib.h>

/* glibc's fields, in glibc's order. Ours fills four: */
struct mallinfo2 {
  size_t arena;    /* the heap's bytes (the region the platform gave) */
  size_t ordblks;  /* 0 */
  size_t smblks;   /* 0 */
  size_t hblks;    /* 0 */
  size_t hblkhd;   /* 0 */
  size_t usmblks;  /* the high-water mark of uordblks since boot (glibc: 0;
                      dlmalloc and the SVID: the most ever allocated) */
  size_t fsmblks;  /* 0 */
  size_t uordblks; /* in use now: allocated blocks and their headers */
  size_t fordblks; /* free now: arena - uordblks */
  size_t keepcost; /* 0 */
};

__PAF_BEGIN_DECLS
struct mallinfo2 mallinfo2(void) __PAF_NOTHROW;
__PAF_END_DECLS

#endif
