/* mbedTLS's port to the paf platform (freestanding build): the entropy source
 * and the monotonic clock that paf_mbedtls_config.h promises it. On a host,
 * mbedTLS uses the OS directly and this file is not built. */
#include <mbedtls/entropy.h>
#include <mbedtls/platform_time.h>

#include "paf/platform.h"

/* The "hardware" entropy source of MBEDTLS_ENTROPY_HARDWARE_ALT. */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen) {
  (void)data;
  if (paf_entropy(output, len) != PAF_R_OK) {
    *olen = 0;
    return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
  }
  *olen = len;
  return 0;
}

/* MBEDTLS_PLATFORM_MS_TIME_ALT: monotonic milliseconds. */
mbedtls_ms_time_t mbedtls_ms_time(void) {
  return (mbedtls_ms_time_t)(paf_clock_monotonic() / 1000000u);
}
