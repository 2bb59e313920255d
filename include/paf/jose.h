// JOSE for ACME: base64url (RFC 4648 §5, unpadded as RFC 7515 §2 wants it),
// JSON Web Keys and their RFC 7638 thumbprints, and JSON Web Signatures
// (RFC 7515) with ES256: ECDSA on P-256 over SHA-256, the signature as the
// raw 64 bytes r || s (§3.4), never DER; RS256 for RSA keys; and HS256 for
// external account binding. On mbedTLS, whose headers stay in src/acme.
#ifndef PAF_JOSE_H
#define PAF_JOSE_H

#include <memory>
#include <string_view>

#include "paf/buffer.h"
#include "paf/bytes.h"
#include "paf/result.h"

namespace paf::jose {

// Unpadded base64url of `bytes`.
Buffer base64url(Bytes bytes);
Buffer base64url(std::string_view text);
// The bytes of unpadded base64url text; anything else (padding, '+', '/',
// whitespace, a length of 4n+1) fails with invalid_argument.
Result<Buffer> base64url_decode(std::string_view text);

// A private key: an ACME account key or a certificate key, ECDSA P-256 (the
// default) or RSA (2048 to 4096 bits), which signs JWS as ES256 or RS256
// (PKCS#1 v1.5, SHA-256). Copies share one key.
class Key {
 public:
  struct State;  // src/acme/jose.cpp: mbedTLS's key
  // A new P-256 key from paf's TLS random generator.
  static Result<Key> generate();
  // A new RSA key of `bits` (2048 to 4096; public exponent 65537).
  static Result<Key> generate_rsa(unsigned bits);
  // The P-256 key of `seed`, as paf-le-chien's LE.seed gives one: the same
  // seed always gives the same key, so an image that keeps nothing between
  // boots finds its ACME account again. mbedTLS's key generation draws from
  // an HMAC_DRBG (SHA-256) instantiated with the seed alone. The seed is the
  // secret: at least 16 bytes (a random 32 is right), never logged; one seed
  // per key (account and certificate keys from one seed would be one key).
  static Result<Key> from_seed(Bytes seed);
  // A key in PEM (SEC1 "EC PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY" or
  // PKCS#8, unencrypted); another type, curve or size fails with invalid_argument.
  static Result<Key> from_pem(std::string_view pem);
  // SEC1 or PKCS#1 PEM, as TlsConfig::server takes it. A secret: never log it.
  Result<Buffer> to_pem() const;
  bool is_rsa() const;
  // The JWS algorithm it signs with: "ES256" or "RS256".
  std::string_view alg() const;
  // The public JWK in RFC 7638's canonical form (required members only, in
  // lexicographic order, no whitespace): {"crv":"P-256","kty":"EC","x":…,"y":…}
  // or {"e":…,"kty":"RSA","n":…}.
  Buffer jwk() const;
  // RFC 7638: base64url(SHA-256(jwk())).
  Buffer thumbprint() const;
  // The JWS ES256 signature of `signing_input`: 64 bytes, r || s.
  // (An RSA key fails with invalid_argument.)
  Result<Buffer> sign_es256(Bytes signing_input) const;
  // The JWS signature of `signing_input` with alg(): ES256's r || s, or
  // RS256's PKCS#1 v1.5 signature (as long as the modulus).
  Result<Buffer> sign(Bytes signing_input) const;
  const State& state() const { return *state_; }

 private:
  explicit Key(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

// Its name from when keys were ECDSA only, still what acme::Config says.
using EcKey = Key;

// RFC 7638's thumbprint of any public JWK given as JSON (EC: crv, kty, x, y;
// RSA: e, kty, n; oct: k, kty); fails with invalid_argument on JSON that is
// not such a key.
Result<Buffer> thumbprint(std::string_view jwk_json);

// Whether `signature` (r || s, 64 bytes) is the ES256 signature of
// `signing_input` by the EC P-256 public JWK `jwk_json`. Fails on a JWK that
// is not one.
Result<bool> verify_es256(std::string_view jwk_json, Bytes signing_input, Bytes signature);

// A flattened JWS JSON serialization (RFC 7515 §7.2.2) of `payload` signed
// by `key` with key.alg(): {"protected":…,"payload":…,"signature":…}. The
// protected header is {"alg":<key.alg()>, <protected_members>} where
// `protected_members` is JSON object members without braces (`"nonce":"…",
// "url":"…"`). An empty payload stays empty (ACME's POST-as-GET).
Result<Buffer> sign_flattened(const Key& key, std::string_view protected_members,
                              std::string_view payload);

// The same with HS256 (HMAC SHA-256 under the secret `key`), as RFC 8555
// §7.3.4's external account binding signs the account key with the key a CA
// handed out: the protected header is {"alg":"HS256", <protected_members>}.
Result<Buffer> sign_flattened_hs256(Bytes key, std::string_view protected_members,
                                    std::string_view payload);

}  // namespace paf::jose

#endif
