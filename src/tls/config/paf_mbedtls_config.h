/* paf's adjustments to mbedTLS's default configuration (mbedtls_config.h),
 * included through MBEDTLS_USER_CONFIG_FILE by both builds.
 * TLS runs over paf's own flows, so mbedTLS's socket and file layers go. */
#ifndef PAF_MBEDTLS_CONFIG_H
#define PAF_MBEDTLS_CONFIG_H

#undef MBEDTLS_NET_C
#undef MBEDTLS_FS_IO
#undef MBEDTLS_PSA_ITS_FILE_C
#undef MBEDTLS_PSA_CRYPTO_STORAGE_C
#undef MBEDTLS_TIMING_C

/* GCM from BearSSL (src/tls/port/gcm_alt.c, context in gcm_alt.h): mbedTLS's
 * own works a block at a time, about 0.5 GB/s on this project's machines
 * against 4 GB/s, and AES-GCM carries nearly all TLS traffic. BearSSL's GCM
 * is AES-only, so the ARIA and Camellia cipher suites (which would also use
 * GCM) go; no mainstream client or server enables them by default. */
#define MBEDTLS_GCM_ALT
#undef MBEDTLS_ARIA_C
#undef MBEDTLS_CAMELLIA_C

#ifdef PAF_FREESTANDING
/* Bare metal: no OS to ask for randomness or time, one thread.
 *
 * Entropy: the platform's source (paf_entropy: RDRAND, ...) feeds mbedTLS's
 * entropy pool as a "hardware" source, mbedtls_hardware_poll(), defined in
 * src/tls/port/mbedtls_platform.c. The pool then seeds the DRBGs (PSA's and
 * any mbedtls_ctr_drbg), so a raw hardware RNG is conditioned before use and
 * the code that seeds a DRBG reads the same on both builds. (The alternative,
 * MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG, would hand PSA the platform's bytes raw
 * and leave the legacy entropy module without any source.) */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT

/* Time: time() and gmtime() come from paf's libc over the platform's wall
 * clock (certificate validity, HAVE_TIME_DATE); the monotonic milliseconds
 * TLS 1.3 tickets need come from mbedtls_ms_time() in the same port file. */
#define MBEDTLS_PLATFORM_MS_TIME_ALT

#undef MBEDTLS_THREADING_C
#undef MBEDTLS_THREADING_PTHREAD
#endif

#endif
