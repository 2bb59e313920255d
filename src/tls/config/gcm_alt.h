/* mbedTLS's GCM context when paf supplies GCM (MBEDTLS_GCM_ALT, see
 * src/tls/port/gcm_alt.c): BearSSL's GCM over its AES in counter mode, with
 * AES-NI and PCLMUL when the CPU has them, else its constant-time portable
 * code. mbedTLS's own GCM works a block at a time (about 0.5 GB/s here);
 * BearSSL's pipelines the blocks (about 4 GB/s). */
#ifndef PAF_GCM_ALT_H
#define PAF_GCM_ALT_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl_aead.h>
#include <bearssl_block.h>

typedef struct mbedtls_gcm_context {
  union {
    const br_block_ctr_class *vtable; /* first member of either key schedule */
    br_aes_x86ni_ctr_keys x86ni;
    br_aes_ct64_ctr_keys ct64;
  } aes;
  br_gcm_context gcm;
  int keyed;         /* setkey succeeded */
  int mode;          /* MBEDTLS_GCM_ENCRYPT or MBEDTLS_GCM_DECRYPT, from starts */
  int phase;         /* 0: not started, 1: additional data, 2: text */
  uint64_t text_length; /* bytes of text so far (the limit is 2^36 - 64) */
} mbedtls_gcm_context;

#endif
