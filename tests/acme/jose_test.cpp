// base64url, JWK thumbprints and ES256 JWS against the RFCs' own examples,
// and the CSR as openssl reads it.
#include "paf/jose.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "paf/acme.h"

namespace paf {
namespace {

std::string str(const Buffer& buffer) { return std::string(buffer.view()); }
Bytes bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Runs `command` (sh) with its stderr; returns its output, its exit status in `status`.
std::string run_command(const std::string& command, int& status) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return status = -1, std::string();
  std::string output;
  char chunk[4096];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0;) output.append(chunk, n);
  status = ::pclose(pipe);
  return output;
}

void write_file(const std::string& path, Bytes bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

// A JSON string member's value, found by its quoted name (enough for the
// flattened JWS sign_flattened writes).
std::string member_text(std::string_view json, std::string_view name) {
  const std::string key = "\"" + std::string(name) + "\":\"";
  const std::size_t at = json.find(key);
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + key.size();
  return std::string(json.substr(start, json.find('"', start) - start));
}

TEST(Base64url, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(str(jose::base64url(std::string_view(""))), "");
  EXPECT_EQ(str(jose::base64url(std::string_view("f"))), "Zg");
  EXPECT_EQ(str(jose::base64url(std::string_view("fo"))), "Zm8");
  EXPECT_EQ(str(jose::base64url(std::string_view("foo"))), "Zm9v");
  EXPECT_EQ(str(jose::base64url(std::string_view("foob"))), "Zm9vYg");
  const std::uint8_t high[] = {0xfb, 0xff, 0xbf};  // '+', '/' in plain base64
  EXPECT_EQ(str(jose::base64url(Bytes(high))), "-_-_");
  // RFC 7515 §3.3: the protected header {"typ":"JWT",\r\n "alg":"HS256"}.
  EXPECT_EQ(str(jose::base64url(std::string_view("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"))),
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
}

TEST(Base64url, DecodesAndRefusesWhatIsNotBase64url) {
  auto decoded = jose::base64url_decode("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(str(*decoded), "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
  auto high = jose::base64url_decode("-_-_");
  ASSERT_TRUE(high);
  EXPECT_EQ(str(*high), "\xfb\xff\xbf");
  EXPECT_FALSE(jose::base64url_decode("Zg=="));   // padding
  EXPECT_FALSE(jose::base64url_decode("+/+/"));   // plain base64's alphabet
  EXPECT_FALSE(jose::base64url_decode("Zm9vY"));  // 4n+1 characters
  EXPECT_FALSE(jose::base64url_decode("Zh"));     // non-zero trailing bits
}

// RFC 7638 §3.1: the thumbprint of the RFC 7517 RSA key.
TEST(Jwk, ThumbprintOfRfc7638Example) {
  const std::string jwk =
      R"({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"})";
  auto thumbprint = jose::thumbprint(jwk);
  ASSERT_TRUE(thumbprint) << thumbprint.error().message;
  EXPECT_EQ(str(*thumbprint), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  EXPECT_FALSE(jose::thumbprint(R"({"kty":"RSA","e":"AQAB"})"));
  EXPECT_FALSE(jose::thumbprint("not json"));
}

// RFC 7515 Appendix A.3: the ES256 example verifies, and a changed byte does not.
TEST(Jws, VerifiesTheRfc7515Es256Example) {
  const std::string jwk =
      R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
  const std::string input =
      "eyJhbGciOiJFUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ";
  auto signature = jose::base64url_decode(
      "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");
  ASSERT_TRUE(signature);
  ASSERT_EQ(signature->size(), 64u);
  auto valid = jose::verify_es256(jwk, bytes_of(input), signature->bytes());
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_TRUE(*valid);
  std::string changed = input;
  changed.back() = 'R';  // was 'Q'
  EXPECT_FALSE(*jose::verify_es256(jwk, bytes_of(changed), signature->bytes()));
  Buffer bad_signature = *signature;
  bad_signature.data()[10] ^= 1;
  EXPECT_FALSE(*jose::verify_es256(jwk, bytes_of(input), bad_signature.bytes()));
}

TEST(Jws, SignsWhatItsOwnJwkVerifies) {
  auto key = jose::EcKey::generate();
  ASSERT_TRUE(key) << key.error().message;
  const Buffer jwk = key->jwk();
  EXPECT_TRUE(jwk.view().starts_with(R"({"crv":"P-256","kty":"EC","x":")"));
  auto thumbprint = jose::thumbprint(jwk.view());
  ASSERT_TRUE(thumbprint);
  EXPECT_EQ(str(key->thumbprint()), str(*thumbprint));

  auto jws = jose::sign_flattened(*key, R"("nonce":"abc","url":"https://ca/new")", "{\"a\":1}");
  ASSERT_TRUE(jws) << jws.error().message;
  // {"protected":"P","payload":"Q","signature":"S"}: P.Q verifies against S.
  const std::string text = str(*jws);
  auto field = [&](const std::string& name) {
    const std::string key_text = "\"" + name + "\":\"";
    std::size_t from = text.find(key_text) + key_text.size();
    return text.substr(from, text.find('"', from) - from);
  };
  EXPECT_EQ(str(*jose::base64url_decode(field("protected"))),
            R"({"alg":"ES256","nonce":"abc","url":"https://ca/new"})");
  EXPECT_EQ(str(*jose::base64url_decode(field("payload"))), "{\"a\":1}");
  auto signature = jose::base64url_decode(field("signature"));
  ASSERT_TRUE(signature);
  EXPECT_EQ(signature->size(), 64u);
  const std::string input = field("protected") + "." + field("payload");
  EXPECT_TRUE(*jose::verify_es256(jwk.view(), bytes_of(input), signature->bytes()));

  // The key survives a trip through PEM (same public key).
  auto pem = key->to_pem();
  ASSERT_TRUE(pem);
  EXPECT_TRUE(pem->view().starts_with("-----BEGIN EC PRIVATE KEY-----"));
  auto again = jose::EcKey::from_pem(pem->view());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(str(again->jwk()), str(jwk));
  EXPECT_FALSE(jose::EcKey::from_pem(
      "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"));
}

// A key from a seed: the same seed, the same key (its JWK pinned here, so
// that a new mbedTLS that derived another would be noticed: an image would
// lose its account); another seed, another key; too short a seed, refused.
TEST(Jwk, TheSameSeedGivesTheSameKey) {
  const std::string seed = "paf's test seed: 32 bytes long..";
  auto key = jose::Key::from_seed(bytes_of(seed));
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(str(key->thumbprint()), str(jose::Key::from_seed(bytes_of(seed))->thumbprint()));
  EXPECT_EQ(str(*key->to_pem()), str(*jose::Key::from_seed(bytes_of(seed))->to_pem()));
  EXPECT_EQ(str(key->thumbprint()), "GywPkJO8BxPll30rUsFM9SicHJNiFeTA3S20AvrUuiA");
  EXPECT_NE(str(key->thumbprint()),
            str(jose::Key::from_seed(bytes_of(std::string("paf's test seed: 32 bytes long.!")))->thumbprint()));
  EXPECT_EQ(key->alg(), "ES256");
  auto signature = key->sign(bytes_of(std::string("input")));
  ASSERT_TRUE(signature);
  EXPECT_TRUE(*jose::verify_es256(key->jwk().view(), bytes_of(std::string("input")), signature->bytes()));
  auto short_seed = jose::Key::from_seed(bytes_of(std::string("fifteen bytes..")));
  ASSERT_FALSE(short_seed);
  EXPECT_EQ(short_seed.error().code, Errc::invalid_argument);
}

// An empty payload stays empty: ACME's POST-as-GET.
TEST(Jws, PostAsGetHasAnEmptyPayload) {
  auto key = jose::EcKey::generate();
  ASSERT_TRUE(key);
  auto jws = jose::sign_flattened(*key, R"("url":"u")", "");
  ASSERT_TRUE(jws);
  EXPECT_NE(jws->view().find(R"("payload":"")"), std::string_view::npos);
}

// The CSR names every name (openssl reads it back and checks its signature).
TEST(Csr, CarriesEveryNameAsASubjectAltName) {
  auto key = jose::EcKey::generate();
  ASSERT_TRUE(key);
  std::vector<Buffer> names;
  names.emplace_back(std::string_view("one.example.com"));
  names.emplace_back(std::string_view("two.example.com"));
  auto der = acme::certificate_request(*key, names);
  ASSERT_TRUE(der) << der.error().message;
  char path[] = "/tmp/paf-csr-test.XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  write_file(path, der->bytes());
  int status = -1;
  const std::string output = run_command(
      std::string("openssl req -inform DER -in ") + path + " -noout -verify -text", status);
  EXPECT_EQ(status, 0) << output;
  std::remove(path);
  EXPECT_NE(output.find("verify OK"), std::string::npos) << output;
  EXPECT_NE(output.find("CN = one.example.com"), std::string::npos) << output;
  EXPECT_NE(output.find("DNS:one.example.com, DNS:two.example.com"), std::string::npos) << output;
  EXPECT_NE(output.find("prime256v1"), std::string::npos) << output;
}

// An RSA key: its JWK has RFC 7638's members, it survives PEM, and its
// RS256 JWS is what openssl verifies with its public half. Sizes outside
// 2048 to 4096 bits are refused, and so is ES256 by it.
TEST(Jws, Rs256ByAnRsaKeyIsWhatOpensslVerifies) {
  auto key = jose::Key::generate_rsa(2048);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_TRUE(key->is_rsa());
  EXPECT_EQ(key->alg(), "RS256");
  const std::string jwk = str(key->jwk());
  EXPECT_TRUE(jwk.starts_with(R"({"e":"AQAB","kty":"RSA","n":")")) << jwk;
  auto thumbprint = jose::thumbprint(jwk);
  ASSERT_TRUE(thumbprint);
  EXPECT_EQ(str(*thumbprint), str(key->thumbprint()));
  auto pem = key->to_pem();
  ASSERT_TRUE(pem);
  EXPECT_TRUE(pem->view().starts_with("-----BEGIN RSA PRIVATE KEY-----"));
  auto again = jose::Key::from_pem(pem->view());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(str(again->jwk()), jwk);

  auto jws = jose::sign_flattened(*key, R"("url":"u")", "{}");
  ASSERT_TRUE(jws);
  const std::string protected_header = member_text(jws->view(), "protected");
  EXPECT_EQ(str(*jose::base64url_decode(protected_header)), R"({"alg":"RS256","url":"u"})");
  auto signature = jose::base64url_decode(member_text(jws->view(), "signature"));
  ASSERT_TRUE(signature);
  EXPECT_EQ(signature->size(), 256u);
  char dir[] = "/tmp/paf-rs256-test.XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string at(dir);
  write_file(at + "/key.pem", pem->bytes());
  write_file(at + "/signature", signature->bytes());
  write_file(at + "/input", bytes_of(protected_header + "." + member_text(jws->view(), "payload")));
  int status = -1;
  const std::string output = run_command(
      "cd " + at + " && openssl pkey -in key.pem -pubout -out public.pem && openssl dgst -sha256 " +
          "-verify public.pem -signature signature input; rm -r " + at,
      status);
  EXPECT_NE(output.find("Verified OK"), std::string::npos) << output;

  EXPECT_FALSE(key->sign_es256(bytes_of("input")));
  EXPECT_EQ(jose::Key::generate_rsa(1024).error().code, Errc::invalid_argument);
  EXPECT_EQ(jose::Key::generate_rsa(8192).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace paf
