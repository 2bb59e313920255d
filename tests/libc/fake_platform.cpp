// The platform functions paf's libc calls, faked for the hosted tests.
#include <cstdlib>

#include "libc_under_test.h"

namespace fake_platform {
std::string console;
uint64_t wall_clock_ns = 0;
}  // namespace fake_platform

extern "C" {
void paf_test_paf_console_write(const char* buf, size_t size) {
  fake_platform::console.append(buf, size);
}
uint64_t paf_test_paf_clock_wall() { return fake_platform::wall_clock_ns; }
uint64_t paf_test_paf_clock_monotonic() { return fake_platform::wall_clock_ns; }
[[noreturn]] void paf_test_paf_exit(int) { std::abort(); }
[[noreturn]] void paf_test_paf_abort() { std::abort(); }
}
