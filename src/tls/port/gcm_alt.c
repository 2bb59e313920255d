/* mbedTLS's GCM interface (mbedtls/gcm.h) over BearSSL's GCM: glue only, the
 * arguments checked as mbedTLS's own gcm.c checks them. Enabled by
 * MBEDTLS_GCM_ALT in paf_mbedtls_config.h; the context is in gcm_alt.h.
 * Only AES is offered (mbedTLS's GCM would also take ARIA and Camellia, which
 * paf's configuration leaves out). */
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>

#include "constant_time_internal.h"

#if defined(MBEDTLS_GCM_ALT)

enum { PHASE_IDLE, PHASE_AD, PHASE_TEXT };

/* The most text one key and IV may protect (NIST SP 800-38D): 2^36 - 64 bytes. */
#define GCM_MAX_TEXT ((UINT64_C(1) << 36) - 64)

void mbedtls_gcm_init(mbedtls_gcm_context *ctx) { memset(ctx, 0, sizeof *ctx); }

/* The implementations this CPU runs, asked once: PSA sets a GCM key for
 * every TLS 1.3 record, and CPUID is slow (a virtual machine exit under a
 * hypervisor). */
static const br_block_ctr_class *aes_ctr;
static br_ghash ghash;

static void choose_implementations(void) {
  if (aes_ctr != NULL) return;
  const br_block_ctr_class *fast = br_aes_x86ni_ctr_get_vtable();
  br_ghash pclmul = br_ghash_pclmul_get();
  ghash = pclmul != 0 ? pclmul : &br_ghash_ctmul64;
  aes_ctr = fast != NULL ? fast : &br_aes_ct64_ctr_vtable;
}

int mbedtls_gcm_setkey(mbedtls_gcm_context *ctx, mbedtls_cipher_id_t cipher,
                       const unsigned char *key, unsigned int keybits) {
  if (cipher != MBEDTLS_CIPHER_ID_AES || (keybits != 128 && keybits != 192 && keybits != 256))
    return MBEDTLS_ERR_GCM_BAD_INPUT;
  choose_implementations();
  aes_ctr->init(&ctx->aes.vtable, key, keybits / 8);
  br_gcm_init(&ctx->gcm, &ctx->aes.vtable, ghash);
  ctx->keyed = 1;
  ctx->phase = PHASE_IDLE;
  return 0;
}

int mbedtls_gcm_starts(mbedtls_gcm_context *ctx, int mode, const unsigned char *iv,
                       size_t iv_len) {
  /* IV is limited to 2^64 bits, so 2^61 bytes. */
  if (!ctx->keyed || iv_len == 0 || (uint64_t) iv_len >> 61 != 0) return MBEDTLS_ERR_GCM_BAD_INPUT;
  br_gcm_reset(&ctx->gcm, iv, iv_len);
  ctx->mode = mode;
  ctx->phase = PHASE_AD;
  ctx->text_length = 0;
  return 0;
}

int mbedtls_gcm_update_ad(mbedtls_gcm_context *ctx, const unsigned char *add, size_t add_len) {
  /* Additional data comes whole before the text (mbedTLS's rule too). */
  if (ctx->phase != PHASE_AD || (uint64_t) add_len >> 61 != 0) return MBEDTLS_ERR_GCM_BAD_INPUT;
  if (add_len > 0) br_gcm_aad_inject(&ctx->gcm, add, add_len);
  return 0;
}

int mbedtls_gcm_update(mbedtls_gcm_context *ctx, const unsigned char *input, size_t input_length,
                       unsigned char *output, size_t output_size, size_t *output_length) {
  *output_length = 0;
  if (ctx->phase == PHASE_IDLE) return MBEDTLS_ERR_GCM_BAD_INPUT;
  if (output_size < input_length) return MBEDTLS_ERR_GCM_BUFFER_TOO_SMALL;
  if (input_length > GCM_MAX_TEXT - ctx->text_length) return MBEDTLS_ERR_GCM_BAD_INPUT;
  if (ctx->phase == PHASE_AD) {
    br_gcm_flip(&ctx->gcm);
    ctx->phase = PHASE_TEXT;
  }
  if (input_length == 0) return 0;
  /* BearSSL works in place. */
  if (output != input) memmove(output, input, input_length);
  br_gcm_run(&ctx->gcm, ctx->mode == MBEDTLS_GCM_ENCRYPT, output, input_length);
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
  if (ctx->phase == PHASE_AD) br_gcm_flip(&ctx->gcm);
  br_gcm_get_tag_trunc(&ctx->gcm, tag, tag_len);
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
