#include "entropy.h"

#include <cstddef>
#include <cstdint>

#include "paf/platform.h"

namespace {
std::uint64_t state;
}

void paf::fuzz::restart_entropy() { state = 0x9E3779B97F4A7C15ull; }

// xorshift64: not random, only varied.
extern "C" paf_result_t paf_entropy(void* buffer, std::size_t size) {
  auto* out = static_cast<std::uint8_t*>(buffer);
  for (std::size_t i = 0; i < size; ++i) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    out[i] = static_cast<std::uint8_t>(state);
  }
  return PAF_R_OK;
}
