// A certificate and key for the TLS target, made at start-up (never
// committed): an EC P-256 key from a fixed generator, self-signed for
// "localhost". Deterministic, so a run repeats; secret to no one.
#ifndef PAF_FUZZ_TEST_IDENTITY_H
#define PAF_FUZZ_TEST_IDENTITY_H

#include <string>

namespace paf::fuzz {

struct TestIdentity {
  std::string certificate_pem;
  std::string key_pem;
};

// Empty PEM texts if mbedTLS fails.
TestIdentity make_test_identity();

}  // namespace paf::fuzz

#endif
