// AES-GCM as mbedTLS offers it (src/tls/port/gcm_alt.c), under each of its
// implementations (OpenSSL's stitched assembly, BearSSL's GCM): mbedTLS's own
// NIST test vectors, the streaming interface split every way, authentication
// failures, the arguments mbedTLS refuses, and the two implementations against
// each other over many shapes of message.
#include <gtest/gtest.h>
#include <mbedtls/gcm.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace paf::tls::test {
namespace {

std::vector<std::uint8_t> pattern(std::size_t size, std::uint8_t seed) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + i * 131 + (i >> 7));
  return bytes;
}

struct Gcm {
  Gcm(unsigned keybits = 128) {
    mbedtls_gcm_init(&context);
    auto key = pattern(keybits / 8, 7);
    EXPECT_EQ(mbedtls_gcm_setkey(&context, MBEDTLS_CIPHER_ID_AES, key.data(), keybits), 0);
  }
  ~Gcm() { mbedtls_gcm_free(&context); }
  mbedtls_gcm_context context;
};

// Each test runs under one implementation, chosen for the setkey calls it makes.
class GcmTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    if (paf_gcm_select(GetParam()) != 0) GTEST_SKIP() << "this CPU cannot run it";
  }
  void TearDown() override { paf_gcm_select(PAF_GCM_AUTO); }
};

std::string implementation_name(const ::testing::TestParamInfo<int>& info) {
  return info.param == PAF_GCM_OPENSSL_AVX ? "OpenSslAvx" : "BearSsl";
}

INSTANTIATE_TEST_SUITE_P(Gcm, GcmTest, ::testing::Values(PAF_GCM_BEARSSL, PAF_GCM_OPENSSL_AVX),
                         implementation_name);

#if defined(__x86_64__)
// The fast path is the one taken where it can run (else the tests above that
// use it would be skipped without anyone noticing).
TEST(Gcm, ChoosesOpenSslAssemblyWhereTheCpuRunsIt) {
  unsigned eax, ebx, ecx, edx;
  ASSERT_TRUE(__get_cpuid(1, &eax, &ebx, &ecx, &edx));
  const unsigned needed = bit_AES | bit_PCLMUL | bit_AVX | bit_MOVBE | bit_OSXSAVE;
  const bool runs = (ecx & needed) == needed;  // and the kernel saves AVX state, as Linux does
  EXPECT_EQ(paf_gcm_select(PAF_GCM_OPENSSL_AVX) == 0, runs);
  ASSERT_EQ(paf_gcm_select(PAF_GCM_AUTO), 0);
  Gcm gcm;
  EXPECT_EQ(gcm.context.implementation, runs ? PAF_GCM_OPENSSL_AVX : PAF_GCM_BEARSSL);
}
#endif

TEST_P(GcmTest, PassesMbedtlsNistVectors) { EXPECT_EQ(mbedtls_gcm_self_test(0), 0); }

// The same message in one call, and fed in pieces of every size from 1 to 40
// bytes (partial blocks carried across calls) and of sizes around the stitched
// loop's 96-byte chunks and 288-byte minimum, gives the same bytes and tag.
TEST_P(GcmTest, StreamingInAnyPiecesMatchesOneShot) {
  std::vector<std::size_t> pieces;
  for (std::size_t piece = 1; piece <= 40; ++piece) pieces.push_back(piece);
  for (std::size_t piece : {95u, 96u, 97u, 287u, 288u, 289u, 300u, 577u, 4096u}) pieces.push_back(piece);
  for (unsigned keybits : {128u, 192u, 256u}) {
    Gcm gcm(keybits);
    const auto iv = pattern(12, 1), aad = pattern(45, 2), text = pattern(5000, 3);
    std::vector<std::uint8_t> whole(text.size());
    std::array<std::uint8_t, 16> whole_tag;
    ASSERT_EQ(mbedtls_gcm_crypt_and_tag(&gcm.context, MBEDTLS_GCM_ENCRYPT, text.size(), iv.data(),
                                        iv.size(), aad.data(), aad.size(), text.data(),
                                        whole.data(), whole_tag.size(), whole_tag.data()),
              0);
    for (std::size_t piece : pieces) {
      SCOPED_TRACE(piece);
      std::vector<std::uint8_t> out(text.size());
      std::array<std::uint8_t, 16> tag;
      std::size_t n = 0;
      ASSERT_EQ(mbedtls_gcm_starts(&gcm.context, MBEDTLS_GCM_ENCRYPT, iv.data(), iv.size()), 0);
      for (std::size_t at = 0; at < aad.size(); at += piece)
        ASSERT_EQ(mbedtls_gcm_update_ad(&gcm.context, aad.data() + at, std::min(piece, aad.size() - at)), 0);
      for (std::size_t at = 0; at < text.size(); at += piece) {
        std::size_t size = std::min(piece, text.size() - at);
        ASSERT_EQ(mbedtls_gcm_update(&gcm.context, text.data() + at, size, out.data() + at, size, &n), 0);
        EXPECT_EQ(n, size);
      }
      ASSERT_EQ(mbedtls_gcm_finish(&gcm.context, nullptr, 0, &n, tag.data(), tag.size()), 0);
      EXPECT_EQ(out, whole);
      EXPECT_EQ(tag, whole_tag);
    }
  }
}

TEST_P(GcmTest, DecryptsWhatItEncryptedAndRefusesATamperedMessage) {
  Gcm gcm;
  const auto iv = pattern(12, 4), aad = pattern(13, 5), text = pattern(16384 + 7, 6);
  std::vector<std::uint8_t> sealed(text.size()), opened(text.size());
  std::array<std::uint8_t, 16> tag;
  ASSERT_EQ(mbedtls_gcm_crypt_and_tag(&gcm.context, MBEDTLS_GCM_ENCRYPT, text.size(), iv.data(),
                                      iv.size(), aad.data(), aad.size(), text.data(), sealed.data(),
                                      tag.size(), tag.data()),
            0);
  EXPECT_NE(sealed, text);
  ASSERT_EQ(mbedtls_gcm_auth_decrypt(&gcm.context, sealed.size(), iv.data(), iv.size(), aad.data(),
                                     aad.size(), tag.data(), tag.size(), sealed.data(),
                                     opened.data()),
            0);
  EXPECT_EQ(opened, text);
  sealed[100] ^= 1;
  EXPECT_EQ(mbedtls_gcm_auth_decrypt(&gcm.context, sealed.size(), iv.data(), iv.size(), aad.data(),
                                     aad.size(), tag.data(), tag.size(), sealed.data(),
                                     opened.data()),
            MBEDTLS_ERR_GCM_AUTH_FAILED);
  EXPECT_EQ(opened, std::vector<std::uint8_t>(opened.size(), 0)) << "no unauthenticated plaintext";
}

TEST_P(GcmTest, RefusesWhatMbedtlsRefuses) {
  mbedtls_gcm_context context;
  mbedtls_gcm_init(&context);
  std::array<std::uint8_t, 32> key{};
  EXPECT_EQ(mbedtls_gcm_setkey(&context, MBEDTLS_CIPHER_ID_AES, key.data(), 100), MBEDTLS_ERR_GCM_BAD_INPUT);
  EXPECT_EQ(mbedtls_gcm_setkey(&context, MBEDTLS_CIPHER_ID_CAMELLIA, key.data(), 128),
            MBEDTLS_ERR_GCM_BAD_INPUT);
  ASSERT_EQ(mbedtls_gcm_setkey(&context, MBEDTLS_CIPHER_ID_AES, key.data(), 128), 0);
  std::array<std::uint8_t, 12> iv{};
  EXPECT_EQ(mbedtls_gcm_starts(&context, MBEDTLS_GCM_ENCRYPT, iv.data(), 0), MBEDTLS_ERR_GCM_BAD_INPUT);
  ASSERT_EQ(mbedtls_gcm_starts(&context, MBEDTLS_GCM_ENCRYPT, iv.data(), iv.size()), 0);
  std::array<std::uint8_t, 32> in{}, out{};
  std::size_t n = 0;
  EXPECT_EQ(mbedtls_gcm_update(&context, in.data(), 32, out.data(), 16, &n), MBEDTLS_ERR_GCM_BUFFER_TOO_SMALL);
  ASSERT_EQ(mbedtls_gcm_update(&context, in.data(), 32, out.data(), 32, &n), 0);
  EXPECT_EQ(mbedtls_gcm_update_ad(&context, in.data(), 1), MBEDTLS_ERR_GCM_BAD_INPUT) << "AD after text";
  std::array<std::uint8_t, 16> tag{};
  EXPECT_EQ(mbedtls_gcm_finish(&context, nullptr, 0, &n, tag.data(), 3), MBEDTLS_ERR_GCM_BAD_INPUT);
  mbedtls_gcm_free(&context);
}

struct Sealed {
  std::vector<std::uint8_t> bytes;
  std::array<std::uint8_t, 16> tag;
};

// Encrypts (or decrypts) in place in pieces of `piece` bytes under one implementation.
Sealed crypt(int implementation, int mode, unsigned keybits, const std::vector<std::uint8_t>& iv,
             const std::vector<std::uint8_t>& aad, std::vector<std::uint8_t> text, std::size_t piece) {
  EXPECT_EQ(paf_gcm_select(implementation), 0);
  Gcm gcm(keybits);
  EXPECT_EQ(gcm.context.implementation, implementation);
  Sealed out{std::move(text), {}};
  std::size_t n = 0;
  EXPECT_EQ(mbedtls_gcm_starts(&gcm.context, mode, iv.data(), iv.size()), 0);
  EXPECT_EQ(mbedtls_gcm_update_ad(&gcm.context, aad.data(), aad.size()), 0);
  for (std::size_t at = 0; at < out.bytes.size(); at += piece) {
    std::size_t size = std::min(piece, out.bytes.size() - at);
    EXPECT_EQ(mbedtls_gcm_update(&gcm.context, out.bytes.data() + at, size, out.bytes.data() + at, size, &n), 0);
  }
  EXPECT_EQ(mbedtls_gcm_finish(&gcm.context, nullptr, 0, &n, out.tag.data(), out.tag.size()), 0);
  return out;
}

// Two independent implementations agree on every shape of message: IVs of 12
// bytes and of other lengths (hashed into the first counter block), additional
// data of every length up to 40, texts from empty to a whole TLS record, in
// one piece or in pieces, encrypted and decrypted in place.
TEST(Gcm, OpenSslAssemblyAgreesWithBearSsl) {
  if (paf_gcm_select(PAF_GCM_OPENSSL_AVX) != 0) GTEST_SKIP() << "this CPU cannot run it";
  const std::size_t text_sizes[] = {0, 1, 15, 16, 17, 95, 96, 97, 191, 287, 288, 289, 383, 575,
                                    576, 1000, 4095, 16384, 16384 + 17};
  int cases = 0;
  for (unsigned keybits : {128u, 256u}) {
    for (std::size_t iv_size : {12u, 1u, 16u, 60u}) {
      for (std::size_t aad_size = 0; aad_size <= 40; aad_size += (aad_size < 17 ? 1 : 7)) {
        for (std::size_t text_size : text_sizes) {
          for (std::size_t piece : {text_size > 0 ? text_size : 1, std::size_t{7}, std::size_t{300}}) {
            SCOPED_TRACE(testing::Message() << keybits << "-bit key, IV " << iv_size << ", AAD "
                                            << aad_size << ", text " << text_size << ", pieces of " << piece);
            const auto iv = pattern(iv_size, 11), aad = pattern(aad_size, 12), text = pattern(text_size, 13);
            Sealed bearssl = crypt(PAF_GCM_BEARSSL, MBEDTLS_GCM_ENCRYPT, keybits, iv, aad, text, piece);
            Sealed openssl = crypt(PAF_GCM_OPENSSL_AVX, MBEDTLS_GCM_ENCRYPT, keybits, iv, aad, text, piece);
            ASSERT_EQ(openssl.bytes, bearssl.bytes);
            ASSERT_EQ(openssl.tag, bearssl.tag);
            Sealed opened = crypt(PAF_GCM_OPENSSL_AVX, MBEDTLS_GCM_DECRYPT, keybits, iv, aad, openssl.bytes, piece);
            ASSERT_EQ(opened.bytes, text);
            ASSERT_EQ(opened.tag, bearssl.tag);
            ++cases;
          }
        }
      }
    }
  }
  paf_gcm_select(PAF_GCM_AUTO);
  EXPECT_GT(cases, 3000);
}

}  // namespace
}  // namespace paf::tls::test
