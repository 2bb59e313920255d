/* paf_entropy: the CPU's random-number instructions, RDRAND (a DRBG reseeded
 * by the hardware source; preferred: it rarely runs dry) or else RDSEED. Both
 * are looked up in CPUID first: executing one the CPU lacks is a #UD. */
#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define CPUID1_ECX_RDRAND (1u << 30)
#define CPUID7_EBX_RDSEED (1u << 18)
/* Intel's guidance: a DRNG that fails 10 times in a row is broken. */
#define RETRIES 10

static int rdrand64(uint64_t *out) {
  uint8_t ok;
  __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
  return ok;
}

static int rdseed64(uint64_t *out) {
  uint8_t ok;
  __asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
  return ok;
}

static int (*source)(uint64_t *);
static const char *source_name = "none";

void entropy_init(void) {
  if (cpuid(1, 0).ecx & CPUID1_ECX_RDRAND) {
    source = rdrand64, source_name = "rdrand";
  } else if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_RDSEED)) {
    source = rdseed64, source_name = "rdseed";
  }
}

const char *entropy_source_name(void) { return source_name; }

static int next_word(uint64_t *word) {
  for (int i = 0; i < RETRIES; i++)
    if (source(word)) return 1;
  return 0;
}

paf_result_t paf_entropy(void *buf, size_t size) {
  if (source == NULL) {
    printf("paf/virtio: no entropy source: the CPU has neither RDRAND nor RDSEED "
           "(run QEMU with -cpu max or -cpu host)\n");
    return PAF_R_EUNSPEC;
  }
  for (size_t done = 0; done < size;) {
    uint64_t word;
    if (!next_word(&word)) {
      printf("paf/virtio: %s failed %d times in a row\n", source_name, RETRIES);
      return PAF_R_EUNSPEC;
    }
    size_t n = size - done < sizeof word ? size - done : sizeof word;
    memcpy((char *)buf + done, &word, n);
    done += n;
  }
  return PAF_R_OK;
}
