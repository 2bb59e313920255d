/* paf libc: <arpa/inet.h>, the byte-order functions only (nghttp2 uses
 * them). x86_64 is little-endian: network order is a byte swap. Inline, so
 * they cost no symbol; skipped when lwIP's own macros of these names exist. */
#ifndef PAF_LIBC_ARPA_INET_H
#define PAF_LIBC_ARPA_INET_H

#include <stdint.h>

#ifndef htonl
static inline uint32_t htonl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint32_t ntohl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint16_t htons(uint16_t x) { return __builtin_bswap16(x); }
static inline uint16_t ntohs(uint16_t x) { return __builtin_bswap16(x); }
#endif

#endif
