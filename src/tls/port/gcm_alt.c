/* mbedTLS's GCM interface (mbedtls/gcm.h) over one of two implementations:
 * OpenSSL's x86-64 assembly (third_party/openssl, built by cmake/perlasm.cmake
 * with the paf_ossl_ prefix) on CPUs with AVX, else BearSSL's GCM. Glue only:
 * the arguments are checked as mbedTLS's own gcm.c checks them, and the GCM
 * construction (NIST SP 800-38D) is spelled out for the OpenSSL primitives,
 * which are OpenSSL's own GCM's building blocks rather than a GCM.
 * Enabled by MBEDTLS_GCM_ALT in paf_mbedtls_config.h; the context is in
 * gcm_alt.h. Only AES is offered (mbedTLS's GCM would also take ARIA and
 * Camellia, which paf's configuration leaves out). */
#include <string.h>

#include <mbedtls/constant_time.h> /* mbedtls_ct_memcmp: clang refuses it undeclared */
#include <mbedtls/error.h>
#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>

#include "constant_time_internal.h"

#if defined(MBEDTLS_GCM_ALT)

#if defined(__x86_64__)
#include <cpuid.h>
#endif

enum { PHASE_IDLE, PHASE_AD, PHASE_TEXT };

/* The most text one key and IV may protect (NIST SP 800-38D): 2^36 - 64 bytes. */
#define GCM_MAX_TEXT ((UINT64_C(1) << 36) - 64)

#if defined(PAF_OPENSSL_GCM)
/* OpenSSL's assembly: the signatures of crypto/aes/asm/aesni-x86_64.pl and
 * crypto/modes/asm/{ghash,aesni-gcm}-x86_64.pl. */
int paf_ossl_aesni_set_encrypt_key(const uint8_t *key, int bits, paf_ossl_aes_key *schedule);
void paf_ossl_aesni_encrypt(const uint8_t in[16], uint8_t out[16],
                            const paf_ossl_aes_key *schedule);
/* Blocks of AES-CTR from a counter block whose last 32 bits count (big-endian);
 * the counter block itself is left as it was. */
void paf_ossl_aesni_ctr32_encrypt_blocks(const uint8_t *in, uint8_t *out, size_t blocks,
                                         const paf_ossl_aes_key *schedule,
                                         const uint8_t counter[16]);
void paf_ossl_gcm_init_avx(uint8_t h_table[16][16], const uint64_t h[2]);
void paf_ossl_gcm_gmult_avx(uint8_t xi[16], const uint8_t h_table[16][16]);
/* Xi = (Xi ^ block) * H for each 16-byte block of in (len a multiple of 16). */
void paf_ossl_gcm_ghash_avx(uint8_t xi[16], const uint8_t h_table[16][16], const uint8_t *in,
                            size_t len);
/* Whole 96-byte chunks of text (none below 288 bytes to encrypt, 96 to
 * decrypt): encrypted and hashed, counter and Xi moved on. Returns the bytes
 * done. */
size_t paf_ossl_aesni_gcm_encrypt(const uint8_t *in, uint8_t *out, size_t len,
                                  const paf_ossl_aes_key *schedule, uint8_t counter[16],
                                  paf_ossl_ghash *ghash);
size_t paf_ossl_aesni_gcm_decrypt(const uint8_t *in, uint8_t *out, size_t len,
                                  const paf_ossl_aes_key *schedule, uint8_t counter[16],
                                  paf_ossl_ghash *ghash);
/* OpenSSL's CPU capability words, which its assembly reads to pick among
 * equally correct code paths: CPUID leaf 1's EDX and ECX, leaf 7's EBX, ECX. */
unsigned int paf_ossl_OPENSSL_ia32cap_P[4];
#endif

/* The implementation setkey uses, chosen once (CPUID is slow: a virtual
 * machine exit under a hypervisor, and PSA sets a GCM key for every TLS 1.3
 * record). */
static int chosen = PAF_GCM_AUTO;
static const br_block_ctr_class *bearssl_aes_ctr;
static br_ghash bearssl_ghash;

static int openssl_avx_runs(void) {
#if defined(PAF_OPENSSL_GCM)
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  const unsigned needed = bit_AES | bit_PCLMUL | bit_AVX | bit_MOVBE | bit_OSXSAVE;
  if ((ecx & needed) != needed) return 0;
  /* The system must save the AVX registers too (XCR0: SSE and AVX state). */
  unsigned xcr0_low, xcr0_high;
  __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
  if ((xcr0_low & 6) != 6) return 0;
  paf_ossl_OPENSSL_ia32cap_P[0] = edx;
  paf_ossl_OPENSSL_ia32cap_P[1] = ecx;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
    paf_ossl_OPENSSL_ia32cap_P[2] = ebx;
    paf_ossl_OPENSSL_ia32cap_P[3] = ecx;
  }
  return 1;
#else
  return 0;
#endif
}

int paf_gcm_select(int implementation) {
  if (bearssl_aes_ctr == NULL) {
    const br_block_ctr_class *fast = br_aes_x86ni_ctr_get_vtable();
    br_ghash pclmul = br_ghash_pclmul_get();
    bearssl_ghash = pclmul != 0 ? pclmul : &br_ghash_ctmul64;
    bearssl_aes_ctr = fast != NULL ? fast : &br_aes_ct64_ctr_vtable;
  }
  switch (implementation) {
    case PAF_GCM_AUTO:
      chosen = openssl_avx_runs() ? PAF_GCM_OPENSSL_AVX : PAF_GCM_BEARSSL;
      return 0;
    case PAF_GCM_BEARSSL:
      chosen = PAF_GCM_BEARSSL;
      return 0;
    case PAF_GCM_OPENSSL_AVX:
      if (!openssl_avx_runs()) return -1;
      chosen = PAF_GCM_OPENSSL_AVX;
      return 0;
    default:
      return -1;
  }
}

void mbedtls_gcm_init(mbedtls_gcm_context *ctx) { memset(ctx, 0, sizeof *ctx); }

/* --- OpenSSL's primitives, as a GCM ------------------------------------------ */
#if defined(PAF_OPENSSL_GCM)

static uint64_t load_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | p[i];
  return v;
}

static void xor_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] ^= (uint8_t) v;
}

/* inc32 of SP 800-38D, n times: the last 32 bits count, modulo 2^32. */
static void counter_add(uint8_t counter[16], uint32_t n) {
  uint32_t c = (uint32_t) counter[12] << 24 | (uint32_t) counter[13] << 16 |
               (uint32_t) counter[14] << 8 | counter[15];
  c += n;
  counter[12] = (uint8_t) (c >> 24);
  counter[13] = (uint8_t) (c >> 16);
  counter[14] = (uint8_t) (c >> 8);
  counter[15] = (uint8_t) c;
}

static void openssl_setkey(mbedtls_gcm_context *ctx, const unsigned char *key, unsigned bits) {
  paf_ossl_gcm *s = &ctx->impl.openssl;
  paf_ossl_aesni_set_encrypt_key(key, (int) bits, &s->aes);
  uint8_t h[16] = {0};
  paf_ossl_aesni_encrypt(h, h, &s->aes);
  s->ghash.h[0] = load_be64(h);
  s->ghash.h[1] = load_be64(h + 8);
  paf_ossl_gcm_init_avx(s->ghash.h_table, s->ghash.h);
  mbedtls_platform_zeroize(h, sizeof h);
}

/* Hashes bytes into Xi: whole blocks at once, a last partial block XORed in
 * and left open (s->partial) until it fills or the hash is closed. */
static void openssl_hash(mbedtls_gcm_context *ctx, const uint8_t *in, size_t len) {
  paf_ossl_gcm *s = &ctx->impl.openssl;
  if (s->partial > 0) {
    while (s->partial < 16 && len > 0) {
      s->ghash.xi[s->partial++] ^= *in++;
      len--;
    }
    if (s->partial < 16) return;
    paf_ossl_gcm_gmult_avx(s->ghash.xi, s->ghash.h_table);
    s->partial = 0;
  }
  size_t whole = len & ~(size_t) 15;
  if (whole > 0) paf_ossl_gcm_ghash_avx(s->ghash.xi, s->ghash.h_table, in, whole);
  for (size_t i = whole; i < len; i++) s->ghash.xi[s->partial++] ^= in[i];
}

/* Multiplies an open partial block into Xi (its missing bytes are zeros). */
static void openssl_close_block(mbedtls_gcm_context *ctx) {
  paf_ossl_gcm *s = &ctx->impl.openssl;
  if (s->partial == 0) return;
  paf_ossl_gcm_gmult_avx(s->ghash.xi, s->ghash.h_table);
  s->partial = 0;
}

static void openssl_starts(mbedtls_gcm_context *ctx, const unsigned char *iv, size_t iv_len) {
  paf_ossl_gcm *s = &ctx->impl.openssl;
  memset(s->ghash.xi, 0, sizeof s->ghash.xi);
  s->partial = 0;
  s->ad_length = 0;
  if (iv_len == 12) {
    memcpy(s->counter, iv, 12);
    s->counter[12] = s->counter[13] = s->counter[14] = 0;
    s->counter[15] = 1;
  } else {
    /* J0 = GHASH(IV, zero padding, 64 zero bits, the IV's length in bits). */
    openssl_hash(ctx, iv, iv_len);
    openssl_close_block(ctx);
    xor_be64(s->ghash.xi + 8, (uint64_t) iv_len * 8);
    paf_ossl_gcm_gmult_avx(s->ghash.xi, s->ghash.h_table);
    memcpy(s->counter, s->ghash.xi, 16);
    memset(s->ghash.xi, 0, sizeof s->ghash.xi);
  }
  paf_ossl_aesni_encrypt(s->counter, s->tag_mask, &s->aes);
  counter_add(s->counter, 1);
}

/* Encrypts or decrypts, hashing the ciphertext; any length, in place or not. */
static void openssl_crypt(mbedtls_gcm_context *ctx, int encrypt, const uint8_t *in,
                          uint8_t *out, size_t len) {
  paf_ossl_gcm *s = &ctx->impl.openssl;
  /* The rest of a block begun by the previous call. */
  while (s->partial > 0 && s->partial < 16 && len > 0) {
    uint8_t byte = *in++;
    uint8_t crypted = byte ^ s->keystream[s->partial];
    s->ghash.xi[s->partial++] ^= encrypt ? crypted : byte;
    *out++ = crypted;
    len--;
  }
  if (s->partial == 16) {
    paf_ossl_gcm_gmult_avx(s->ghash.xi, s->ghash.h_table);
    s->partial = 0;
  }
  if (len >= 16) {
    /* The stitched loop, then whole blocks: the hash of decrypted text is
     * taken first, since out may be in. */
    size_t done = encrypt ? paf_ossl_aesni_gcm_encrypt(in, out, len, &s->aes, s->counter, &s->ghash)
                          : paf_ossl_aesni_gcm_decrypt(in, out, len, &s->aes, s->counter, &s->ghash);
    in += done;
    out += done;
    len -= done;
    size_t whole = len & ~(size_t) 15;
    if (whole > 0) {
      if (!encrypt) paf_ossl_gcm_ghash_avx(s->ghash.xi, s->ghash.h_table, in, whole);
      paf_ossl_aesni_ctr32_encrypt_blocks(in, out, whole / 16, &s->aes, s->counter);
      if (encrypt) paf_ossl_gcm_ghash_avx(s->ghash.xi, s->ghash.h_table, out, whole);
      counter_add(s->counter, (uint32_t) (whole / 16));
      in += whole;
      out += whole;
      len -= whole;
    }
  }
  if (len > 0) {
    paf_ossl_aesni_encrypt(s->counter, s->keystream, &s->aes);
    counter_add(s->counter, 1);
    for (size_t i = 0; i < len; i++) {
      uint8_t byte = in[i];
      uint8_t crypted = byte ^ s->keystream[i];
      s->ghash.xi[i] ^= encrypt ? crypted : byte;
      out[i] = crypted;
    }
    s->partial = (unsigned) len;
  }
}

static void openssl_tag(mbedtls_gcm_context *ctx, unsigned char *tag, size_t tag_len) {
  paf_ossl_gcm *s = &ctx->impl.openssl;
  openssl_close_block(ctx);
  xor_be64(s->ghash.xi, s->ad_length * 8);
  xor_be64(s->ghash.xi + 8, ctx->text_length * 8);
  paf_ossl_gcm_gmult_avx(s->ghash.xi, s->ghash.h_table);
  for (size_t i = 0; i < tag_len; i++) tag[i] = s->ghash.xi[i] ^ s->tag_mask[i];
}

#endif /* PAF_OPENSSL_GCM */

/* --- mbedTLS's interface ------------------------------------------------------ */

int mbedtls_gcm_setkey(mbedtls_gcm_context *ctx, mbedtls_cipher_id_t cipher,
                       const unsigned char *key, unsigned int keybits) {
  if (cipher != MBEDTLS_CIPHER_ID_AES || (keybits != 128 && keybits != 192 && keybits != 256))
    return MBEDTLS_ERR_GCM_BAD_INPUT;
  if (chosen == PAF_GCM_AUTO) paf_gcm_select(PAF_GCM_AUTO);
  ctx->implementation = chosen;
#if defined(PAF_OPENSSL_GCM)
  if (chosen == PAF_GCM_OPENSSL_AVX) {
    openssl_setkey(ctx, key, keybits);
  } else
#endif
  {
    bearssl_aes_ctr->init(&ctx->impl.bearssl.aes.vtable, key, keybits / 8);
    br_gcm_init(&ctx->impl.bearssl.gcm, &ctx->impl.bearssl.aes.vtable, bearssl_ghash);
  }
  ctx->keyed = 1;
  ctx->phase = PHASE_IDLE;
  return 0;
}

static int uses_openssl(const mbedtls_gcm_context *ctx) {
  return ctx->implementation == PAF_GCM_OPENSSL_AVX;
}

int mbedtls_gcm_starts(mbedtls_gcm_context *ctx, int mode, const unsigned char *iv,
                       size_t iv_len) {
  /* IV is limited to 2^64 bits, so 2^61 bytes. */
  if (!ctx->keyed || iv_len == 0 || (uint64_t) iv_len >> 61 != 0) return MBEDTLS_ERR_GCM_BAD_INPUT;
#if defined(PAF_OPENSSL_GCM)
  if (uses_openssl(ctx))
    openssl_starts(ctx, iv, iv_len);
  else
#endif
    br_gcm_reset(&ctx->impl.bearssl.gcm, iv, iv_len);
  ctx->mode = mode;
  ctx->phase = PHASE_AD;
  ctx->text_length = 0;
  return 0;
}

int mbedtls_gcm_update_ad(mbedtls_gcm_context *ctx, const unsigned char *add, size_t add_len) {
  /* Additional data comes whole before the text (mbedTLS's rule too). */
  if (ctx->phase != PHASE_AD || (uint64_t) add_len >> 61 != 0) return MBEDTLS_ERR_GCM_BAD_INPUT;
  if (add_len == 0) return 0;
#if defined(PAF_OPENSSL_GCM)
  if (uses_openssl(ctx)) {
    openssl_hash(ctx, add, add_len);
    ctx->impl.openssl.ad_length += add_len;
    return 0;
  }
#endif
  br_gcm_aad_inject(&ctx->impl.bearssl.gcm, add, add_len);
  return 0;
}

int mbedtls_gcm_update(mbedtls_gcm_context *ctx, const unsigned char *input, size_t input_length,
                       unsigned char *output, size_t output_size, size_t *output_length) {
  *output_length = 0;
  if (ctx->phase == PHASE_IDLE) return MBEDTLS_ERR_GCM_BAD_INPUT;
  if (output_size < input_length) return MBEDTLS_ERR_GCM_BUFFER_TOO_SMALL;
  if (input_length > GCM_MAX_TEXT - ctx->text_length) return MBEDTLS_ERR_GCM_BAD_INPUT;
  const int encrypt = ctx->mode == MBEDTLS_GCM_ENCRYPT;
  if (ctx->phase == PHASE_AD) {
#if defined(PAF_OPENSSL_GCM)
    if (uses_openssl(ctx))
      openssl_close_block(ctx);
    else
#endif
      br_gcm_flip(&ctx->impl.bearssl.gcm);
    ctx->phase = PHASE_TEXT;
  }
  if (input_length == 0) return 0;
#if defined(PAF_OPENSSL_GCM)
  if (uses_openssl(ctx)) {
    openssl_crypt(ctx, encrypt, input, output, input_length);
  } else
#endif
  {
    /* BearSSL works in place. */
    if (output != input) memmove(output, input, input_length);
    br_gcm_run(&ctx->impl.bearssl.gcm, encrypt, output, input_length);
  }
  ctx->text_length += input_length;
  *output_length = input_length;
  return 0;
}

int mbedtls_gcm_finish(mbedtls_gcm_context *ctx, unsigned char *output, size_t output_size,
                       size_t *output_length, unsigned char *tag, size_t tag_len) {
  (void) output;
  (void) output_size;
  *output_length = 0; /* update() gave out every byte already */
  if (ctx->phase == PHASE_IDLE || tag_len > 16 || tag_len < 4) return MBEDTLS_ERR_GCM_BAD_INPUT;
#if defined(PAF_OPENSSL_GCM)
  if (uses_openssl(ctx)) {
    openssl_tag(ctx, tag, tag_len);
  } else
#endif
  {
    if (ctx->phase == PHASE_AD) br_gcm_flip(&ctx->impl.bearssl.gcm);
    br_gcm_get_tag_trunc(&ctx->impl.bearssl.gcm, tag, tag_len);
  }
  ctx->phase = PHASE_IDLE;
  return 0;
}

int mbedtls_gcm_crypt_and_tag(mbedtls_gcm_context *ctx, int mode, size_t length,
                              const unsigned char *iv, size_t iv_len, const unsigned char *add,
                              size_t add_len, const unsigned char *input, unsigned char *output,
                              size_t tag_len, unsigned char *tag) {
  size_t olen;
  int ret;
  if ((ret = mbedtls_gcm_starts(ctx, mode, iv, iv_len)) != 0) return ret;
  if ((ret = mbedtls_gcm_update_ad(ctx, add, add_len)) != 0) return ret;
  if ((ret = mbedtls_gcm_update(ctx, input, length, output, length, &olen)) != 0) return ret;
  return mbedtls_gcm_finish(ctx, NULL, 0, &olen, tag, tag_len);
}

int mbedtls_gcm_auth_decrypt(mbedtls_gcm_context *ctx, size_t length, const unsigned char *iv,
                             size_t iv_len, const unsigned char *add, size_t add_len,
                             const unsigned char *tag, size_t tag_len,
                             const unsigned char *input, unsigned char *output) {
  unsigned char check_tag[16];
  int ret = mbedtls_gcm_crypt_and_tag(ctx, MBEDTLS_GCM_DECRYPT, length, iv, iv_len, add, add_len,
                                      input, output, tag_len, check_tag);
  if (ret != 0) return ret;
  if (mbedtls_ct_memcmp(tag, check_tag, tag_len) != 0) {
    mbedtls_platform_zeroize(output, length);
    return MBEDTLS_ERR_GCM_AUTH_FAILED;
  }
  return 0;
}

void mbedtls_gcm_free(mbedtls_gcm_context *ctx) {
  if (ctx != NULL) mbedtls_platform_zeroize(ctx, sizeof *ctx);
}

#endif /* MBEDTLS_GCM_ALT */
