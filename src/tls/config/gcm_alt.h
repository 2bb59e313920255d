/* mbedTLS's GCM context when paf supplies GCM (MBEDTLS_GCM_ALT, see
 * src/tls/port/gcm_alt.c). Two implementations, chosen once from CPUID:
 * - OpenSSL's x86-64 assembly, with AES-CTR and GHASH interleaved (AVX, MOVBE,
 *   AES-NI, PCLMUL): about 7 GB/s here;
 * - else BearSSL's GCM over its AES in counter mode, with AES-NI and PCLMUL
 *   when the CPU has them (about 4 GB/s), else constant-time portable code.
 * mbedTLS's own GCM works a block at a time (about 0.5 GB/s here). */
#ifndef PAF_GCM_ALT_H
#define PAF_GCM_ALT_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl_aead.h>
#include <bearssl_block.h>

#ifdef __cplusplus
extern "C" {
#endif

/* OpenSSL's AES key schedule (AES_KEY), as its assembly reads it. */
typedef struct paf_ossl_aes_key {
  uint32_t round_keys[60];
  int rounds;
} paf_ossl_aes_key;

/* OpenSSL's GHASH state, as aesni_gcm_[en|de]crypt read it: the running hash
 * Xi, then H (two 64-bit words in host order), then the powers of H that
 * gcm_init_avx computes, in this order and without padding. */
typedef struct paf_ossl_ghash {
  uint8_t xi[16];
  uint64_t h[2];
  uint8_t h_table[16][16];
} paf_ossl_ghash;

/* A GCM over OpenSSL's primitives (src/tls/port/gcm_alt.c). */
typedef struct paf_ossl_gcm {
  paf_ossl_aes_key aes __attribute__((aligned(16)));
  paf_ossl_ghash ghash __attribute__((aligned(16)));
  uint8_t counter[16];   /* the counter block of the next keystream block */
  uint8_t tag_mask[16];  /* AES of the first counter block */
  uint8_t keystream[16]; /* of a block of text not yet wholly used */
  unsigned partial;      /* bytes of additional data or text in Xi's open block */
  uint64_t ad_length;    /* bytes of additional data */
} paf_ossl_gcm;

/* BearSSL's GCM over its AES in counter mode. */
typedef struct paf_bearssl_gcm {
  union {
    const br_block_ctr_class *vtable; /* first member of either key schedule */
    br_aes_x86ni_ctr_keys x86ni;
    br_aes_ct64_ctr_keys ct64;
  } aes;
  br_gcm_context gcm;
} paf_bearssl_gcm;

typedef struct mbedtls_gcm_context {
  union {
    paf_bearssl_gcm bearssl;
    paf_ossl_gcm openssl;
  } impl;
  int implementation; /* PAF_GCM_BEARSSL or PAF_GCM_OPENSSL_AVX, from setkey */
  int keyed;          /* setkey succeeded */
  int mode;           /* MBEDTLS_GCM_ENCRYPT or MBEDTLS_GCM_DECRYPT, from starts */
  int phase;          /* 0: not started, 1: additional data, 2: text */
  uint64_t text_length; /* bytes of text so far (the limit is 2^36 - 64) */
} mbedtls_gcm_context;

enum { PAF_GCM_AUTO = 0, PAF_GCM_BEARSSL = 1, PAF_GCM_OPENSSL_AVX = 2 };

/* Chooses the implementation that later setkey calls use: PAF_GCM_AUTO (the
 * fastest this CPU runs, the default) or one by name, for tests and
 * benchmarks. Returns 0, or -1 when this CPU or build cannot run it. */
int paf_gcm_select(int implementation);

#ifdef __cplusplus
}
#endif

#endif
