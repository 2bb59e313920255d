// ACME (RFC 8555): a certificate from a CA such as Let's Encrypt, on paf's
// own client, proven with HTTP-01 challenges that paf's own server answers.
// paf-le-chien's flow:
//
//   paf::acme::Http01Responder responder;                  // tokens in flight
//   paf::Switch port80;
//   paf::serve(loop, paf::http_service(responder.handler(app), on_error), listener80, port80);
//   paf::acme::Config config{.directory = paf::Buffer(paf::acme::letsencrypt_staging),
//                            .contact_email = paf::Buffer("me@example.com"),
//                            .names = {paf::Buffer("example.com")},
//                            .http01 = responder};
//   auto provisioning = paf::acme::provision_certificate(std::move(config), client, loop,
//       [&](paf::acme::Outcome outcome) {
//         port80.turn_off();
//         if (!outcome) return report(outcome.error().describe());
//         auto tls = paf::TlsConfig::server(outcome->chain_pem.view(),
//         outcome->key_pem.view()).build();
//         ...                                                 // https_service with it
//       });
//
// Requests are JWS (ES256; RS256 for an RSA key) signed by the account key:
// the account's JWK for newAccount, its URL (kid) after. Every answer's
// Replay-Nonce is kept for the next request; a badNonce problem is retried
// with the fresh nonce (a bounded number of times). Authorizations and the
// order are polled with Retry-After honoured, else a doubling backoff, both
// bounded.
// In both builds: unikernel/acme provisions its certificate in the image.
#ifndef PAF_ACME_H
#define PAF_ACME_H

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "paf/buffer.h"
#include "paf/client.h"
#include "paf/function.h"
#include "paf/jose.h"
#include "paf/loop.h"
#include "paf/reqd.h"
#include "paf/result.h"
#include "paf/tls.h"

namespace paf::acme {

inline constexpr std::string_view letsencrypt_production =
    "https://acme-v02.api.letsencrypt.org/directory";
inline constexpr std::string_view letsencrypt_staging =
    "https://acme-staging-v02.api.letsencrypt.org/directory";

// HTTP-01 (RFC 8555 §8.3): answers GET /.well-known/acme-challenge/TOKEN with
// the key authorization of each token in flight, and passes every other
// request (other paths, unknown tokens) to the application's handler.
// Copies share the tokens: one goes to provisioning, one to the port-80 service.
class Http01Responder {
 public:
  Http01Responder();
  // The handler to mount on the port-80 service, in front of `next`
  // (none: 404 for everything but the challenges).
  RequestHandler handler(RequestHandler next = {}) const;
  void add(std::string_view token, std::string_view key_authorization);
  void remove(std::string_view token);
  std::size_t size() const;

 private:
  struct Tokens;
  std::shared_ptr<Tokens> tokens_;
};

// TLS-ALPN-01 (RFC 8737): a validation certificate per name in flight,
// presented to the CA's TLS connection that offers only ALPN "acme-tls/1"
// with that name as SNI; such a connection ends after its handshake. The
// port-443 service's TlsConfig takes answers():
//
//   paf::acme::TlsAlpn01Responder responder;
//   auto tls = paf::TlsConfig::server(chain, key).handshake_answers(responder.answers()).build();
//   // (before the first certificate: a self-signed one for the names)
//
// Copies share the certificates: one goes to provisioning, one to the config.
class TlsAlpn01Responder {
 public:
  static constexpr std::string_view kProtocol = "acme-tls/1";
  TlsAlpn01Responder();
  const TlsHandshakeAnswers& answers() const { return answers_; }
  // Answers `name` with a new validation certificate for `key_authorization`.
  Result<void> add(std::string_view name, std::string_view key_authorization);
  void remove(std::string_view name);
  std::size_t size() const;

 private:
  TlsHandshakeAnswers answers_;
};

// RFC 8737 §3's validation certificate: self-signed by `key`, for `name`
// alone (its CN and only subjectAltName), with the critical acmeIdentifier
// extension (1.3.6.1.5.5.7.1.31) holding SHA-256(key_authorization) as an
// OCTET STRING. PEM.
Result<Buffer> tls_alpn01_certificate(const jose::EcKey& key, std::string_view name,
                                      std::string_view key_authorization);

// How the CA is to check that the names are ours (RFC 8555 §8).
enum class Challenge : std::uint8_t {
  http_01,      // GET /.well-known/acme-challenge/TOKEN on port 80 (Config::http01)
  tls_alpn_01,  // a TLS handshake on port 443 (Config::tls_alpn01)
};

struct Config {
  // The directory URL (https, or http for a test CA).
  Buffer directory;
  // mailto: contact, optional.
  Buffer contact_email;
  // The DNS names of the certificate (at least one; the first is its CN).
  std::vector<Buffer> names;
  // RFC 8555 §7.3: agreeing to the CA's terms of service is required by most CAs.
  bool terms_of_service_agreed = true;
  // External Account Binding (RFC 8555 §7.3.4), for CAs that require it:
  // the key id and the HMAC key (base64url) the CA handed out. Both or none.
  Buffer eab_key_id;
  Buffer eab_hmac_key;
  // Generated (P-256) when absent. RSA keys (jose::Key::generate_rsa: 2048
  // or 3072 bits, say) serve too: RS256 for the account, an RSA certificate.
  std::optional<jose::EcKey> account_key;
  std::optional<jose::EcKey> certificate_key;
  // Where the HTTP-01 key authorizations go while their challenges run.
  Http01Responder http01;
  // The challenge answered; http-01 by default.
  Challenge challenge = Challenge::http_01;
  // Where the TLS-ALPN-01 validation certificates go while their challenges run.
  TlsAlpn01Responder tls_alpn01;
  // One request's answer (the directory's included). [timed_out]
  std::uint64_t request_timeout_ns = seconds(30);
  // badNonce answers retried per request.
  std::size_t max_bad_nonce_retries = 5;
  // Polling an authorization or the order: Retry-After when the CA gives
  // one (capped at poll_max_delay_ns), else from poll_initial_delay_ns
  // doubling to poll_max_delay_ns; at most max_polls polls each. [timed_out]
  std::uint64_t poll_initial_delay_ns = milliseconds(200);
  std::uint64_t poll_max_delay_ns = seconds(10);
  std::size_t max_polls = 60;
  // RFC 8555 §7.4.2: the chain wanted among the default one and the
  // alternates the certificate URL links (rel="alternate"), named by the
  // issuer common name of its topmost certificate (certbot's and lego's
  // --preferred-chain): the first chain that matches exactly; the default
  // chain when none does, or when this is empty, or when an alternate cannot
  // be downloaded (said in the log: the certificate is not lost for it).
  Buffer preferred_chain;
  // Progress, one line per step (no secret: no key, no JWS); optional.
  Function<void(std::string_view line)> log;
};

struct Certificate {
  Buffer chain_pem;                   // leaf first, then the CA's intermediates
  Buffer key_pem;                     // the certificate key (SEC1 PEM): a secret
  Buffer account_url;                 // the account's kid
  std::size_t bad_nonce_retries = 0;  // how many badNonce answers were retried
};

// Why provisioning failed: `error` says which step (a static message) and
// how (its code: timed_out, protocol_error for an ACME problem or an invalid
// authorization, io_error, tls_error, ... as the client reported it);
// `type` and `detail` are the ACME problem document's, when there was one
// (for an invalid authorization: its challenge's error).
struct Failure {
  Error error;
  Buffer type;
  Buffer detail;
  // The answer's Retry-After (seconds form), when the CA gave one with its
  // problem (rateLimited does): do not try again before it. 0: none given.
  std::uint64_t retry_after_ns = 0;
  // "step: type: detail" (or less): a line for a person.
  Buffer describe() const;
};

using Outcome = std::expected<Certificate, Failure>;

// Provisioning under way; destroying it (or cancel()) abandons it: `done` is
// then never called.
class Provisioning {
 public:
  struct Run;  // src/acme/provision.cpp
  Provisioning() = default;
  explicit Provisioning(std::shared_ptr<Run> run) : run_(std::move(run)) {}
  Provisioning(Provisioning&&) noexcept = default;
  Provisioning& operator=(Provisioning&&) noexcept;
  ~Provisioning();
  void cancel();

 private:
  std::shared_ptr<Run> run_;
};

// Gets a certificate for config.names: the directory, an account (created,
// or found again for the same key), an order, its authorizations by HTTP-01
// through config.http01, finalize with a CSR for every name, the chain.
// Calls `done` once, from `loop`, with the certificate or why there is none.
// `client` (which trusts the directory's CA) and `loop` must outlive it.
Provisioning provision_certificate(Config config, Client& client, Loop& loop,
                                   Function<void(Outcome)> done);

// A PKCS#10 certificate signing request (DER) for `names`: the first is the
// subject's CN, every one a DNS subjectAltName; signed by `key` (ECDSA or RSA,
// with SHA-256).
Result<Buffer> certificate_request(const jose::EcKey& key, std::span<const Buffer> names);

}  // namespace paf::acme

#endif
