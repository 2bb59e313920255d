// base64url, JWKs, RFC 7638 thumbprints and ES256/RS256/HS256 JWS on mbedTLS.
#define MBEDTLS_ALLOW_PRIVATE_ACCESS  // an EC key's group, secret and point
#include "paf/jose.h"

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#include <cstring>

#include "../tls/random.h"
#include "jose_state.h"
#include "json.h"

namespace paf::jose {

using acme::Json;

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kCoordinate = 32;  // bytes of a P-256 coordinate, and of r and s
constexpr unsigned kSmallestRsaBits = 2048, kLargestRsaBits = 4096;
constexpr std::size_t kSmallestSeed = 16;
constexpr int kRsaExponent = 65537;
// A 4096-bit RSA key's PKCS#1 PEM takes some 3.3 KB.
constexpr std::size_t kLargestKeyPem = 4096;

Bytes bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

void sha256(Bytes input, std::uint8_t (&digest)[32]) {
  mbedtls_sha256(input.data(), input.size(), digest, 0);
}

// A P-256 public point from its JWK coordinates.
struct PublicPoint {
  mbedtls_ecp_group group;
  mbedtls_ecp_point point;
  PublicPoint() {
    mbedtls_ecp_group_init(&group);
    mbedtls_ecp_point_init(&point);
  }
  ~PublicPoint() {
    mbedtls_ecp_point_free(&point);
    mbedtls_ecp_group_free(&group);
  }
  PublicPoint(const PublicPoint&) = delete;
  PublicPoint& operator=(const PublicPoint&) = delete;
};

Result<void> load_public(std::string_view jwk_json, PublicPoint& out) {
  Json jwk = Json::parse(jwk_json);
  if (!jwk || !cJSON_IsObject(jwk.get()))
    return fail(Errc::invalid_argument, "JWK: not a JSON object");
  if (acme::string_or_empty(jwk.get(), "kty") != "EC" ||
      acme::string_or_empty(jwk.get(), "crv") != "P-256")
    return fail(Errc::invalid_argument, "JWK: not an EC P-256 key");
  auto x = base64url_decode(acme::string_or_empty(jwk.get(), "x"));
  auto y = base64url_decode(acme::string_or_empty(jwk.get(), "y"));
  if (!x || !y || x->size() != kCoordinate || y->size() != kCoordinate)
    return fail(Errc::invalid_argument, "JWK: x and y must be 32-byte base64url coordinates");
  std::uint8_t encoded[1 + 2 * kCoordinate];
  encoded[0] = 0x04;  // uncompressed
  std::memcpy(encoded + 1, x->bytes().data(), kCoordinate);
  std::memcpy(encoded + 1 + kCoordinate, y->bytes().data(), kCoordinate);
  if (mbedtls_ecp_group_load(&out.group, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
      mbedtls_ecp_point_read_binary(&out.group, &out.point, encoded, sizeof encoded) != 0 ||
      mbedtls_ecp_check_pubkey(&out.group, &out.point) != 0)
    return fail(Errc::invalid_argument, "JWK: the point is not on P-256");
  return {};
}

}  // namespace

Buffer base64url(Bytes bytes) {
  Buffer out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out.append(kAlphabet[group >> 18]);
    out.append(kAlphabet[(group >> 12) & 63]);
    out.append(kAlphabet[(group >> 6) & 63]);
    out.append(kAlphabet[group & 63]);
  }
  if (bytes.size() - i == 1) {
    out.append(kAlphabet[bytes[i] >> 2]);
    out.append(kAlphabet[(bytes[i] & 3) << 4]);
  } else if (bytes.size() - i == 2) {
    const std::uint32_t group = (bytes[i] << 8) | bytes[i + 1];
    out.append(kAlphabet[group >> 10]);
    out.append(kAlphabet[(group >> 4) & 63]);
    out.append(kAlphabet[(group & 15) << 2]);
  }
  return out;
}

Buffer base64url(std::string_view text) { return base64url(bytes_of(text)); }

Result<Buffer> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return fail(Errc::invalid_argument, "base64url: impossible length");
  Buffer out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int held = 0;
  for (char c : text) {
    const int value = sextet(c);
    if (value < 0)
      return fail(Errc::invalid_argument, "base64url: a character outside its alphabet");
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    held += 6;
    if (held >= 8) {
      held -= 8;
      out.append(static_cast<char>((bits >> held) & 0xff));
    }
  }
  // Leftover bits must be zero (a canonical encoding).
  if ((bits & ((1u << held) - 1)) != 0)
    return fail(Errc::invalid_argument, "base64url: non-zero trailing bits");
  return out;
}

Result<Key> Key::generate() {
  if (auto started = tls::start_crypto(); !started) return std::unexpected(started.error());
  auto state = std::make_shared<State>();
  if (mbedtls_pk_setup(&state->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0 ||
      mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, &state->ec(), tls::random_bytes,
                          tls::random_context()) != 0)
    return fail(Errc::tls_error, "EC key: generating a P-256 key failed");
  return Key(std::move(state));
}

Result<Key> Key::generate_rsa(unsigned bits) {
  if (bits < kSmallestRsaBits || bits > kLargestRsaBits)
    return fail(Errc::invalid_argument, "RSA key: 2048 to 4096 bits");
  if (auto started = tls::start_crypto(); !started) return std::unexpected(started.error());
  auto state = std::make_shared<State>();
  if (mbedtls_pk_setup(&state->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) != 0 ||
      mbedtls_rsa_gen_key(&state->rsa(), tls::random_bytes, tls::random_context(), bits,
                          kRsaExponent) != 0)
    return fail(Errc::tls_error, "RSA key: generating it failed");
  return Key(std::move(state));
}

Result<Key> Key::from_seed(Bytes seed) {
  if (seed.size() < kSmallestSeed) return fail(Errc::invalid_argument, "key seed: shorter than 16 bytes");
  if (auto started = tls::start_crypto(); !started) return std::unexpected(started.error());
  auto state = std::make_shared<State>();
  mbedtls_hmac_drbg_context drbg;
  mbedtls_hmac_drbg_init(&drbg);
  const bool made =
      mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), seed.data(),
                                 seed.size()) == 0 &&
      mbedtls_pk_setup(&state->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0 &&
      mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, &state->ec(), mbedtls_hmac_drbg_random, &drbg) == 0;
  mbedtls_hmac_drbg_free(&drbg);
  if (!made) return fail(Errc::tls_error, "EC key: deriving a P-256 key from its seed failed");
  return Key(std::move(state));
}

Result<Key> Key::from_pem(std::string_view pem) {
  if (auto started = tls::start_crypto(); !started) return std::unexpected(started.error());
  auto state = std::make_shared<State>();
  Buffer text(pem);
  text.append('\0');  // mbedTLS reads PEM as a C string
  if (mbedtls_pk_parse_key(&state->pk, text.data(), text.size(), nullptr, 0, tls::random_bytes,
                           tls::random_context()) != 0)
    return fail(Errc::invalid_argument, "key: the PEM is not an unencrypted private key");
  if (mbedtls_pk_get_type(&state->pk) == MBEDTLS_PK_RSA) {
    const std::size_t bits = mbedtls_pk_get_bitlen(&state->pk);
    if (bits < kSmallestRsaBits || bits > kLargestRsaBits)
      return fail(Errc::invalid_argument, "RSA key: not of 2048 to 4096 bits");
  } else if (mbedtls_pk_get_type(&state->pk) != MBEDTLS_PK_ECKEY ||
             state->ec().grp.id != MBEDTLS_ECP_DP_SECP256R1) {
    return fail(Errc::invalid_argument, "key: neither ECDSA P-256 nor RSA");
  }
  return Key(std::move(state));
}

Result<Buffer> Key::to_pem() const {
  Buffer out;
  out.resize(kLargestKeyPem);
  if (mbedtls_pk_write_key_pem(&state_->pk, out.data(), out.size()) != 0)
    return fail(Errc::tls_error, "key: writing its PEM failed");
  out.resize(std::strlen(reinterpret_cast<const char*>(out.data())));
  return out;
}

bool Key::is_rsa() const { return mbedtls_pk_get_type(&state_->pk) == MBEDTLS_PK_RSA; }

std::string_view Key::alg() const { return is_rsa() ? "RS256" : "ES256"; }

Buffer Key::jwk() const {
  if (is_rsa()) {
    // RFC 7518 §6.3.1: n and e as unsigned big-endian bytes, no leading zero.
    mbedtls_mpi n, e;
    mbedtls_mpi_init(&n);
    mbedtls_mpi_init(&e);
    (void)mbedtls_rsa_export(&state_->rsa(), &n, nullptr, nullptr, nullptr, &e);
    auto unsigned_bytes = [](const mbedtls_mpi& value) {
      Buffer bytes;
      bytes.resize(mbedtls_mpi_size(&value));
      (void)mbedtls_mpi_write_binary(&value, bytes.data(), bytes.size());
      return base64url(bytes.bytes());
    };
    Buffer out(R"({"e":")");
    out.append(unsigned_bytes(e).view());
    out.append(R"(","kty":"RSA","n":")");
    out.append(unsigned_bytes(n).view());
    out.append(R"("})");
    mbedtls_mpi_free(&n);
    mbedtls_mpi_free(&e);
    return out;
  }
  const mbedtls_ecp_keypair& ec = state_->ec();
  std::uint8_t point[1 + 2 * kCoordinate];
  std::size_t length = 0;
  mbedtls_ecp_point_write_binary(&ec.grp, &ec.Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &length, point,
                                 sizeof point);
  Buffer out;
  out.append(R"({"crv":"P-256","kty":"EC","x":")");
  out.append(base64url(Bytes(point + 1, kCoordinate)).view());
  out.append(R"(","y":")");
  out.append(base64url(Bytes(point + 1 + kCoordinate, kCoordinate)).view());
  out.append(R"("})");
  return out;
}

Buffer Key::thumbprint() const {
  std::uint8_t digest[32];
  sha256(jwk().bytes(), digest);
  return base64url(Bytes(digest));
}

Result<Buffer> Key::sign(Bytes signing_input) const {
  if (!is_rsa()) return sign_es256(signing_input);
  std::uint8_t digest[32];
  sha256(signing_input, digest);
  Buffer out;
  out.resize(mbedtls_pk_get_len(&state_->pk));
  std::size_t length = 0;
  // PKCS#1 v1.5, mbedTLS's default padding for an RSA key.
  int status = mbedtls_pk_sign(&state_->pk, MBEDTLS_MD_SHA256, digest, sizeof digest, out.data(),
                               out.size(), &length, tls::random_bytes, tls::random_context());
  if (status != 0) return fail(Errc::tls_error, "RS256: signing failed", status);
  out.resize(length);
  return out;
}

Result<Buffer> Key::sign_es256(Bytes signing_input) const {
  if (is_rsa()) return fail(Errc::invalid_argument, "ES256: an RSA key signs RS256");
  std::uint8_t digest[32];
  sha256(signing_input, digest);
  mbedtls_ecp_keypair& ec = state_->ec();
  mbedtls_mpi r, s;
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  // Deterministic (RFC 6979), with the generator for blinding only.
  int status =
      mbedtls_ecdsa_sign_det_ext(&ec.grp, &r, &s, &ec.d, digest, sizeof digest, MBEDTLS_MD_SHA256,
                                 tls::random_bytes, tls::random_context());
  Buffer out;
  out.resize(2 * kCoordinate);
  if (status == 0) status = mbedtls_mpi_write_binary(&r, out.data(), kCoordinate);
  if (status == 0) status = mbedtls_mpi_write_binary(&s, out.data() + kCoordinate, kCoordinate);
  mbedtls_mpi_free(&r);
  mbedtls_mpi_free(&s);
  if (status != 0) return fail(Errc::tls_error, "ES256: signing failed", status);
  return out;
}

Result<Buffer> thumbprint(std::string_view jwk_json) {
  Json jwk = Json::parse(jwk_json);
  if (!jwk || !cJSON_IsObject(jwk.get()))
    return fail(Errc::invalid_argument, "JWK: not a JSON object");
  const std::string_view kty = acme::string_or_empty(jwk.get(), "kty");
  // RFC 7638 §3.2: the required members, in lexicographic order.
  const char* const ec[] = {"crv", "kty", "x", "y"};
  const char* const rsa[] = {"e", "kty", "n"};
  const char* const oct[] = {"k", "kty"};
  std::span<const char* const> members;
  if (kty == "EC")
    members = ec;
  else if (kty == "RSA")
    members = rsa;
  else if (kty == "oct")
    members = oct;
  else
    return fail(Errc::invalid_argument, "JWK: unknown kty");
  Buffer canonical("{");
  for (const char* name : members) {
    auto value = acme::string_member(jwk.get(), name);
    if (!value) return fail(Errc::invalid_argument, "JWK: a required member is missing");
    if (canonical.size() > 1) canonical.append(',');
    acme::append_json_string(canonical, name);
    canonical.append(':');
    acme::append_json_string(canonical, *value);
  }
  canonical.append('}');
  std::uint8_t digest[32];
  sha256(canonical.bytes(), digest);
  return base64url(Bytes(digest));
}

Result<bool> verify_es256(std::string_view jwk_json, Bytes signing_input, Bytes signature) {
  PublicPoint key;
  if (auto loaded = load_public(jwk_json, key); !loaded) return std::unexpected(loaded.error());
  if (signature.size() != 2 * kCoordinate) return false;
  std::uint8_t digest[32];
  sha256(signing_input, digest);
  mbedtls_mpi r, s;
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  bool valid = mbedtls_mpi_read_binary(&r, signature.data(), kCoordinate) == 0 &&
               mbedtls_mpi_read_binary(&s, signature.data() + kCoordinate, kCoordinate) == 0 &&
               mbedtls_ecdsa_verify(&key.group, digest, sizeof digest, &key.point, &r, &s) == 0;
  mbedtls_mpi_free(&r);
  mbedtls_mpi_free(&s);
  return valid;
}

namespace {

// A flattened JWS whose protected header is {"alg":<alg>, <protected_members>},
// signed by `sign` (Bytes signing input -> Result<Buffer> signature).
template <typename Sign>
Result<Buffer> flattened(std::string_view alg, std::string_view protected_members,
                         std::string_view payload, Sign sign) {
  Buffer header(R"({"alg":")");
  header.append(alg);
  header.append('"');
  if (!protected_members.empty()) {
    header.append(',');
    header.append(protected_members);
  }
  header.append('}');
  Buffer signing_input = base64url(header.view());
  const std::size_t protected_length = signing_input.size();
  signing_input.append('.');
  if (!payload.empty()) signing_input.append(base64url(payload).view());
  Result<Buffer> signature = sign(signing_input.bytes());
  if (!signature) return std::unexpected(signature.error());
  const std::string_view input = signing_input.view();
  Buffer out(R"({"protected":")");
  out.append(input.substr(0, protected_length));
  out.append(R"(","payload":")");
  out.append(input.substr(protected_length + 1));
  out.append(R"(","signature":")");
  out.append(base64url(signature->bytes()).view());
  out.append(R"("})");
  return out;
}

}  // namespace

Result<Buffer> sign_flattened(const Key& key, std::string_view protected_members,
                              std::string_view payload) {
  return flattened(key.alg(), protected_members, payload,
                   [&key](Bytes input) { return key.sign(input); });
}

Result<Buffer> sign_flattened_hs256(Bytes key, std::string_view protected_members,
                                    std::string_view payload) {
  return flattened("HS256", protected_members, payload, [key](Bytes input) -> Result<Buffer> {
    Buffer mac;
    mac.resize(32);
    if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key.data(), key.size(),
                        input.data(), input.size(), mac.data()) != 0)
      return fail(Errc::tls_error, "JWS: HMAC-SHA256 failed");
    return mac;
  });
}

}  // namespace paf::jose
