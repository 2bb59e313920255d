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

#endif
