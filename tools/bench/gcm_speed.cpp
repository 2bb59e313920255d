// AES-GCM as paf's TLS records use it (src/tls/port/gcm_alt.c): 16 KiB of
// text sealed in place, with the key set before each record as mbedTLS's PSA
// layer does. Prints, for each implementation this CPU runs and each key
// size, the best of five rounds in bytes per second of CPU time:
//   <implementation> <key bits> <bytes per second>
#include <mbedtls/gcm.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double bytes_per_second(unsigned keybits) {
  constexpr std::size_t kRecord = 16384;
  constexpr int kRecords = 20000;
  std::array<unsigned char, 32> key{1};
  std::array<unsigned char, 12> iv{2};
  std::array<unsigned char, 13> aad{3};  // a TLS 1.2 record's additional data
  std::array<unsigned char, 16> tag{};
  std::vector<unsigned char> text(kRecord, 5);
  mbedtls_gcm_context gcm;
  mbedtls_gcm_init(&gcm);
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    double start = cpu_seconds();
    for (int i = 0; i < kRecords; ++i) {
      iv[11] = static_cast<unsigned char>(i);
      if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key.data(), keybits) != 0 ||
          mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, text.size(), iv.data(), iv.size(),
                                    aad.data(), aad.size(), text.data(), text.data(), tag.size(),
                                    tag.data()) != 0) {
        std::fprintf(stderr, "gcm_speed: encryption failed\n");
        return 0;
      }
    }
    double rate = kRecords * static_cast<double>(kRecord) / (cpu_seconds() - start);
    if (rate > best) best = rate;
  }
  mbedtls_gcm_free(&gcm);
  return best;
}

}  // namespace

int main() {
  const struct {
    int id;
    const char* name;
  } implementations[] = {{PAF_GCM_OPENSSL_AVX, "openssl-asm"}, {PAF_GCM_BEARSSL, "bearssl"}};
  for (const auto& implementation : implementations) {
    if (paf_gcm_select(implementation.id) != 0) continue;  // not on this CPU
    for (unsigned keybits : {128u, 256u})
      std::printf("%s %u %.0f\n", implementation.name, keybits, bytes_per_second(keybits));
  }
  paf_gcm_select(PAF_GCM_AUTO);
  return 0;
}
