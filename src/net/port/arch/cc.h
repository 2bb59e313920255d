/* lwIP's compiler/platform port for paf (both builds). */
#ifndef PAF_LWIP_ARCH_CC_H
#define PAF_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stddef.h>

#define LWIP_NO_UNISTD_H 1

#ifdef PAF_FREESTANDING
/* lwIP takes ssize_t from <unistd.h> when SSIZE_MAX is defined (paf's libc's
 * <limits.h> does). Name the type here, as paf's libc does, so the port needs
 * no POSIX header. lwIP's other needs (printf and abort for
 * LWIP_PLATFORM_ASSERT; little-endian byte order) are met as is. */
typedef long ssize_t;
#endif

#define LWIP_RAND() ((u32_t)paf_lwip_random())

#ifdef __cplusplus
extern "C" {
#endif
/* Supplied by src/net: a random number from the platform's entropy source. */
uint32_t paf_lwip_random(void);
#ifdef __cplusplus
}
#endif

#endif
