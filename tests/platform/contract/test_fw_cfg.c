/* paf_config_read over QEMU's fw_cfg: the item named on the command line
 * ("name=opt/paf/...") is read whole, its length and SHA-256 printed for the
 * runner to compare with the file given to -fw_cfg; or, when QEMU was given
 * no such file, it is not found (PAF_R_EINVAL). Either way the contract's
 * edges hold: a buffer too small gives PAF_R_AGAIN and the length, leaving
 * the buffer alone; empty and overlong names are PAF_R_EINVAL. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mbedtls/sha256.h"
#include "paf/platform.h"

static const char *cmdline_value(const char *cmdline, const char *key) {
  size_t key_length = strlen(key);
  for (const char *word = cmdline; word != NULL && *word != '\0';) {
    if (strncmp(word, key, key_length) == 0 && word[key_length] == '=')
      return word + key_length + 1;
    word = strchr(word, ' ');
    if (word != NULL) word++;
  }
  return NULL;
}

static int check_invalid_names(void) {
  char name[PAF_CONFIG_NAME_MAX + 2];
  size_t length = 0;
  memset(name, 'a', sizeof name - 1);
  name[sizeof name - 1] = '\0';
  CHECK(paf_config_read(name, NULL, 0, &length) == PAF_R_EINVAL);
  CHECK(paf_config_read("", NULL, 0, &length) == PAF_R_EINVAL);
  CHECK(paf_config_read(NULL, NULL, 0, &length) == PAF_R_EINVAL);
  return 0;
}

static int read_item(const char *name) {
  size_t length = 0;
  paf_result_t sized = paf_config_read(name, NULL, 0, &length);
  if (sized == PAF_R_EINVAL) {
    printf("fw_cfg: %s: not found\n", name);
    return 0;
  }
  CHECK(sized == PAF_R_AGAIN || (sized == PAF_R_OK && length == 0));
  unsigned char *buf = malloc(length + 1);
  CHECK(buf != NULL);
  if (length > 0) { /* one byte short: AGAIN again, and the buffer untouched */
    memset(buf, 0x5a, length + 1);
    size_t again_length = 0;
    CHECK(paf_config_read(name, buf, length - 1, &again_length) == PAF_R_AGAIN);
    CHECK(again_length == length);
    for (size_t i = 0; i < length + 1; i++) CHECK(buf[i] == 0x5a);
  }
  size_t read_length = 0;
  uint64_t started = paf_clock_monotonic();
  CHECK(paf_config_read(name, buf, length + 1, &read_length) == PAF_R_OK);
  uint64_t elapsed_us = (paf_clock_monotonic() - started) / 1000;
  CHECK(read_length == length);
  CHECK(buf[length] == 0x5a);
  unsigned char digest[32];
  CHECK(mbedtls_sha256(buf, length, digest, 0) == 0);
  char hex[2 * sizeof digest + 1];
  for (size_t i = 0; i < sizeof digest; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  printf("fw_cfg: %s: %zu bytes, sha256 %s (read in %lu us)\n", name, length, hex,
         (unsigned long)elapsed_us);
  free(buf);
  return 0;
}

int paf_app_main(const struct paf_start_info *info) {
  const char *value = cmdline_value(info->cmdline, "name");
  CHECK(value != NULL);
  char name[PAF_CONFIG_NAME_MAX + 1];
  size_t length = strcspn(value, " ");
  CHECK(length <= PAF_CONFIG_NAME_MAX);
  memcpy(name, value, length);
  name[length] = '\0';
  if (check_invalid_names() != 0 || read_item(name) != 0) return 1;
  puts("SUCCESS");
  return 0;
}
