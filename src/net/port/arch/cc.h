/* lwIP's compiler/platform port for paf (both builds). */
#ifndef PAF_LWIP_ARCH_CC_H
#define PAF_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stddef.h>

#define LWIP_NO_UNISTD_H 1
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
