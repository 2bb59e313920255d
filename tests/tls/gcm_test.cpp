// AES-GCM as mbedTLS offers it, over BearSSL's (src/tls/port/gcm_alt.c):
// mbedTLS's own NIST test vectors, the streaming interface split every way,
// authentication failures, and the arguments mbedTLS refuses.
#include <gtest/gtest.h>
#include <mbedtls/gcm.h>

#include <array>
#include <cstdint>
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

TEST(Gcm, PassesMbedtlsNistVectors) { EXPECT_EQ(mbedtls_gcm_self_test(0), 0); }

// The same message in one call, and fed in pieces of every size from 1 to 40
// bytes (partial blocks carried across calls), gives the same bytes and tag.
TEST(Gcm, StreamingInAnyPiecesMatchesOneShot) {
  for (unsigned keybits : {128u, 192u, 256u}) {
    Gcm gcm(keybits);
    const auto iv = pattern(12, 1), aad = pattern(45, 2), text = pattern(1000, 3);
    std::vector<std::uint8_t> whole(text.size());
    std::array<std::uint8_t, 16> whole_tag;
    ASSERT_EQ(mbedtls_gcm_crypt_and_tag(&gcm.context, MBEDTLS_GCM_ENCRYPT, text.size(), iv.data(),
                                        iv.size(), aad.data(), aad.size(), text.data(),
                                        whole.data(), whole_tag.size(), whole_tag.data()),
              0);
    for (std::size_t piece = 1; piece <= 40; ++piece) {
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

TEST(Gcm, DecryptsWhatItEncryptedAndRefusesATamperedMessage) {
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

TEST(Gcm, RefusesWhatMbedtlsRefuses) {
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

}  // namespace
}  // namespace paf::tls::test
