// TlsConfig: parses and checks certificates, keys and settings once, into one
// mbedTLS configuration that every TlsFlow of the config shares.
#include <mbedtls/pem.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include <cstring>
#include <limits>

#include "config_state.h"
#include "engine.h"
#include "error.h"
#include "random.h"

namespace paf {
namespace tls {
namespace {

constexpr std::uint32_t kTicketKeyLifetimeSeconds = 24 * 60 * 60;

// mbedTLS parses PEM only from NUL-terminated text, the NUL counted.
Buffer pem_text(std::string_view pem) {
  Buffer text(pem);
  text.append('\0');
  return text;
}

mbedtls_ssl_protocol_version mbedtls_version(TlsVersion version) {
  return version == TlsVersion::tls1_2 ? MBEDTLS_SSL_VERSION_TLS1_2 : MBEDTLS_SSL_VERSION_TLS1_3;
}

// Parses every certificate of `pem` onto `chain`. A CA bundle may hold a
// certificate mbedTLS cannot read; `lenient` keeps the others then.
Result<void> parse_certificates(mbedtls_x509_crt& chain, const Buffer& pem, bool lenient,
                                std::string_view what) {
  int parsed = mbedtls_x509_crt_parse(&chain, pem.bytes().data(), pem.size());
  if (parsed < 0) return std::unexpected(mbedtls_error(parsed, what));
  if (parsed > 0 && !(lenient && chain.raw.p != nullptr)) return fail(Errc::invalid_argument, what);
  return {};
}

// Accepts every extension mbedTLS does not know, critical ones included.
int accept_extension(void*, const mbedtls_x509_crt*, const mbedtls_x509_buf*, int,
                     const unsigned char*, const unsigned char*) {
  return 0;
}

// Parses every certificate of `pem` onto `chain` keeping extensions mbedTLS
// does not know, even critical ones (which mbedtls_x509_crt_parse refuses):
// for a certificate the server only presents, whose extensions speak to the
// client (RFC 8737's acmeIdentifier).
Result<void> parse_presented_certificates(mbedtls_x509_crt& chain, const Buffer& pem,
                                          std::string_view what) {
  const unsigned char* at = pem.bytes().data();
  constexpr std::size_t kMostCertificates = 16;
  std::size_t parsed = 0;
  for (; parsed < kMostCertificates; ++parsed) {
    mbedtls_pem_context context;
    mbedtls_pem_init(&context);
    std::size_t used = 0;
    int read = mbedtls_pem_read_buffer(&context, "-----BEGIN CERTIFICATE-----",
                                       "-----END CERTIFICATE-----", at, nullptr, 0, &used);
    if (read == MBEDTLS_ERR_PEM_NO_HEADER_FOOTER_PRESENT) {
      mbedtls_pem_free(&context);
      break;
    }
    if (read == 0) {
      std::size_t length = 0;
      const unsigned char* der = mbedtls_pem_get_buffer(&context, &length);
      read =
          mbedtls_x509_crt_parse_der_with_ext_cb(&chain, der, length, 1, accept_extension, nullptr);
    }
    mbedtls_pem_free(&context);
    if (read != 0) return std::unexpected(mbedtls_error(read, what));
    at += used;
  }
  if (parsed == 0) return fail(Errc::invalid_argument, what);
  return {};
}

// The SNI callback: offers the certificates naming the requested host.
int select_certificates(void* config_state, mbedtls_ssl_context* ssl, const unsigned char* name,
                        std::size_t length) {
  const auto& state = *static_cast<const TlsConfig::State*>(config_state);
  std::string_view host_name(reinterpret_cast<const char*>(name), length);
  remember_server_name(*ssl, host_name);
  for (const auto& certificate : state.certificates) {
    if (!certificate->names(host_name)) continue;
    int set = mbedtls_ssl_set_hs_own_cert(ssl, &certificate->chain, &certificate->key);
    if (set != 0) return set;
  }
  return 0;  // no match: the configured list (every certificate) stays
}

// The certificate callback, once the whole ClientHello is read (SNI and ALPN
// both known): a protocol of TlsHandshakeAnswers negotiated is answered by
// its certificate for the SNI alone, or not at all.
int select_handshake_answer(mbedtls_ssl_context* ssl) {
  const char* protocol = mbedtls_ssl_get_alpn_protocol(ssl);
  if (protocol == nullptr) return 0;
  auto& engine = *static_cast<MbedtlsFlow::Engine*>(mbedtls_ssl_get_user_data_p(ssl));
  for (const TlsHandshakeAnswers& answers : engine.config->handshake_answers) {
    if (answers.protocol() != protocol) continue;
    engine.answer = answers.state().find(engine.server_name.view());
    if (!engine.answer) return MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE;
    int cleared = mbedtls_ssl_set_hs_own_cert(ssl, nullptr, nullptr);
    if (cleared != 0) return cleared;
    return mbedtls_ssl_set_hs_own_cert(ssl, &engine.answer->chain, &engine.answer->key);
  }
  return 0;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace

ServerCertificate::ServerCertificate() {
  mbedtls_x509_crt_init(&chain);
  mbedtls_pk_init(&key);
  mbedtls_x509_crt_init(&leaf);
}

ServerCertificate::~ServerCertificate() {
  mbedtls_x509_crt_free(&chain);
  mbedtls_pk_free(&key);
  mbedtls_x509_crt_free(&leaf);
}

bool ServerCertificate::names(std::string_view host_name) const {
  // mbedTLS checks names only while verifying; verifying the leaf alone
  // against no CA checks no signature, and leaves CN_MISMATCH set or not.
  char name[256];
  if (host_name.empty() || host_name.size() >= sizeof name) return false;
  std::memcpy(name, host_name.data(), host_name.size());
  name[host_name.size()] = '\0';
  std::uint32_t flags = 0;
  (void)mbedtls_x509_crt_verify(const_cast<mbedtls_x509_crt*>(&leaf), nullptr, nullptr, name,
                                &flags, nullptr, nullptr);
  return (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) == 0;
}

}  // namespace tls

TlsConfig::State::State() {
  mbedtls_ssl_config_init(&ssl);
  mbedtls_x509_crt_init(&trusted_cas);
  mbedtls_x509_crt_init(&trusted_certificates);
  mbedtls_ssl_ticket_init(&tickets);
  mbedtls_ssl_cache_init(&session_cache);
}

TlsConfig::State::~State() {
  mbedtls_ssl_config_free(&ssl);
  mbedtls_x509_crt_free(&trusted_cas);
  mbedtls_x509_crt_free(&trusted_certificates);
  mbedtls_ssl_ticket_free(&tickets);
  mbedtls_ssl_cache_free(&session_cache);
}

bool TlsConfig::State::trusts_as_is(const mbedtls_x509_crt& leaf) const {
  if (!has_trusted_certificates) return false;
  for (const mbedtls_x509_crt* trusted = &trusted_certificates; trusted != nullptr;
       trusted = trusted->next) {
    if (trusted->raw.len == leaf.raw.len &&
        std::memcmp(trusted->raw.p, leaf.raw.p, leaf.raw.len) == 0)
      return true;
  }
  return false;
}

TlsConfig::Builder TlsConfig::server(std::string_view chain_pem, std::string_view key_pem) {
  Builder builder(true);
  builder.certificate(chain_pem, key_pem);
  return builder;
}

TlsConfig::Builder TlsConfig::server() { return Builder(true); }

TlsConfig::Builder TlsConfig::client() { return Builder(false); }

bool TlsConfig::is_server() const { return state_->server; }
std::uint64_t TlsConfig::handshake_timeout() const { return state_->handshake_timeout; }

using Builder = TlsConfig::Builder;

Builder& Builder::certificate(std::string_view chain_pem, std::string_view key_pem) {
  certificates_.push_back({tls::pem_text(chain_pem), tls::pem_text(key_pem)});
  return *this;
}

Builder& Builder::trust_ca(std::string_view ca_bundle_pem) {
  trusted_cas_.push_back(tls::pem_text(ca_bundle_pem));
  return *this;
}

Builder& Builder::trust_certificate(std::string_view certificate_pem) {
  trusted_certificates_.push_back(tls::pem_text(certificate_pem));
  return *this;
}

Builder& Builder::insecure_for_tests() {
  insecure_ = true;
  return *this;
}

Builder& Builder::alpn(std::initializer_list<std::string_view> protocols) {
  return alpn(std::span<const std::string_view>(protocols.begin(), protocols.size()));
}

Builder& Builder::alpn(std::span<const std::string_view> protocols) {
  alpn_.clear();
  for (std::string_view protocol : protocols) alpn_.emplace_back(protocol);
  alpn_set_ = true;
  return *this;
}

Builder& Builder::handshake_answers(TlsHandshakeAnswers answers) {
  handshake_answers_.push_back(std::move(answers));
  return *this;
}

Builder& Builder::versions(TlsVersion min, TlsVersion max) {
  min_version_ = min;
  max_version_ = max;
  return *this;
}

Builder& Builder::session_tickets(bool enabled) {
  tickets_ = enabled;
  return *this;
}

Builder& Builder::session_cache(std::size_t max_entries, std::uint64_t lifetime_nanoseconds) {
  session_cache_set_ = true;
  session_cache_entries_ = max_entries;
  session_cache_lifetime_ = lifetime_nanoseconds;
  return *this;
}

Builder& Builder::handshake_timeout(std::uint64_t nanoseconds) {
  handshake_timeout_ = nanoseconds;
  return *this;
}

namespace tls {
namespace {

Result<void> check_settings(bool server, bool has_certificates, bool has_trust, bool insecure,
                            TlsVersion min, TlsVersion max) {
  if (min > max) return fail(Errc::invalid_argument, "TLS config: minimum version above maximum");
  if (server && (has_trust || insecure))
    return fail(Errc::invalid_argument, "TLS config: trust settings are for clients");
  if (!server && has_certificates)
    return fail(Errc::invalid_argument, "TLS config: certificates are for servers");
  if (!server && !has_trust && !insecure)
    return fail(
        Errc::invalid_argument,
        "TLS config: a client needs trust_ca(), trust_certificate() or insecure_for_tests()");
  return {};
}

Result<void> set_alpn(TlsConfig::State& state, const std::vector<Buffer>& protocols) {
  for (const Buffer& protocol : protocols) {
    // RFC 7301: 1 to 255 bytes, and a name with a NUL would be cut short here.
    if (protocol.empty() || protocol.size() > 255 ||
        protocol.view().find('\0') != std::string_view::npos)
      return fail(Errc::invalid_argument,
                  "TLS config: an ALPN protocol name must be 1 to 255 bytes");
    state.alpn_names.push_back(tls::pem_text(protocol.view()));
  }
  if (state.alpn_names.empty()) return {};
  for (Buffer& name : state.alpn_names)
    state.alpn_list.push_back(reinterpret_cast<const char*>(name.data()));
  state.alpn_list.push_back(nullptr);
  int set = mbedtls_ssl_conf_alpn_protocols(&state.ssl, state.alpn_list.data());
  if (set != 0) return std::unexpected(mbedtls_error(set, "TLS config: ALPN protocols refused"));
  return {};
}

// A chain and its key. `any_extension`: the chain's certificates may carry
// critical extensions mbedTLS does not know (see parse_presented_certificates).
Result<std::unique_ptr<ServerCertificate>> load_certificate(const Buffer& chain_pem,
                                                            const Buffer& key_pem,
                                                            bool any_extension = false) {
  auto certificate = std::make_unique<ServerCertificate>();
  constexpr std::string_view kUnparsed = "TLS config: cannot parse a certificate chain";
  if (auto parsed = any_extension
                        ? parse_presented_certificates(certificate->chain, chain_pem, kUnparsed)
                        : parse_certificates(certificate->chain, chain_pem, false, kUnparsed);
      !parsed)
    return std::unexpected(parsed.error());
  int key = mbedtls_pk_parse_key(&certificate->key, key_pem.bytes().data(), key_pem.size(), nullptr,
                                 0, random_bytes, random_context());
  if (key != 0)
    return std::unexpected(mbedtls_error(key, "TLS config: cannot parse a private key"));
  if (mbedtls_pk_check_pair(&certificate->chain.pk, &certificate->key, random_bytes,
                            random_context()) != 0)
    return fail(Errc::invalid_argument, "TLS config: a private key does not match its certificate");
  int leaf = mbedtls_x509_crt_parse_der_with_ext_cb(
      &certificate->leaf, certificate->chain.raw.p, certificate->chain.raw.len, 1,
      any_extension ? accept_extension : nullptr, nullptr);
  if (leaf != 0)
    return std::unexpected(mbedtls_error(leaf, "TLS config: cannot copy a leaf certificate"));
  return certificate;
}

}  // namespace
}  // namespace tls

// --- TlsHandshakeAnswers -----------------------------------------------------

std::shared_ptr<tls::ServerCertificate> TlsHandshakeAnswers::State::find(
    std::string_view name) const {
  for (const Answer& answer : answers)
    if (tls::equal_ignoring_ascii_case(answer.name.view(), name)) return answer.certificate;
  return nullptr;
}

TlsHandshakeAnswers::TlsHandshakeAnswers(std::string_view protocol)
    : state_(std::make_shared<State>()) {
  state_->protocol = Buffer(protocol);
}

std::string_view TlsHandshakeAnswers::protocol() const { return state_->protocol.view(); }

Result<void> TlsHandshakeAnswers::add(std::string_view name, std::string_view chain_pem,
                                      std::string_view key_pem) {
  if (name.empty()) return fail(Errc::invalid_argument, "TLS handshake answer: no name");
  if (auto started = tls::start_crypto(); !started) return std::unexpected(started.error());
  auto certificate = tls::load_certificate(tls::pem_text(chain_pem), tls::pem_text(key_pem), true);
  if (!certificate) return std::unexpected(certificate.error());
  remove(name);
  state_->answers.push_back({Buffer(name), std::move(*certificate)});
  return {};
}

void TlsHandshakeAnswers::remove(std::string_view name) {
  auto& answers = state_->answers;
  for (std::size_t i = 0; i < answers.size(); ++i)
    if (tls::equal_ignoring_ascii_case(answers[i].name.view(), name)) {
      answers.erase(answers.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
}

std::size_t TlsHandshakeAnswers::size() const { return state_->answers.size(); }

Result<TlsConfig> Builder::build() const {
  bool has_trust = !trusted_cas_.empty() || !trusted_certificates_.empty();
  if (auto checked = tls::check_settings(server_, !certificates_.empty(), has_trust, insecure_,
                                         min_version_, max_version_);
      !checked)
    return std::unexpected(checked.error());
  if (!server_ && session_cache_set_)
    return fail(Errc::invalid_argument, "TLS config: a session cache is for servers");
  if (!server_ && !handshake_answers_.empty())
    return fail(Errc::invalid_argument, "TLS config: handshake answers are for servers");
  if (auto started = tls::start_crypto(); !started) return std::unexpected(started.error());

  auto state = std::make_shared<State>();
  state->server = server_;
  state->handshake_timeout = handshake_timeout_;
  mbedtls_ssl_config& ssl = state->ssl;
  int defaults =
      mbedtls_ssl_config_defaults(&ssl, server_ ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                  MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (defaults != 0) return std::unexpected(tls::mbedtls_error(defaults, "TLS config: defaults"));
  mbedtls_ssl_conf_rng(&ssl, tls::random_bytes, tls::random_context());
  mbedtls_ssl_conf_min_tls_version(&ssl, tls::mbedtls_version(min_version_));
  mbedtls_ssl_conf_max_tls_version(&ssl, tls::mbedtls_version(max_version_));

  auto configured = server_ ? configure_server(*state) : configure_client(*state);
  if (!configured) return std::unexpected(configured.error());
  static constexpr std::string_view kDefaultServerAlpn[] = {"h2", "http/1.1"};
  std::vector<Buffer> protocols = alpn_;
  if (server_ && !alpn_set_)
    for (std::string_view protocol : kDefaultServerAlpn) protocols.emplace_back(protocol);
  // Last: a client offering any protocol of the server's own gets that one.
  for (const TlsHandshakeAnswers& answers : handshake_answers_) {
    for (const Buffer& protocol : protocols)
      if (protocol == answers.protocol())
        return fail(Errc::invalid_argument,
                    "TLS config: a handshake-answered protocol is also in alpn()");
    protocols.emplace_back(answers.protocol());
  }
  if (auto set = tls::set_alpn(*state, protocols); !set) return std::unexpected(set.error());
  return TlsConfig(std::move(state));
}

Result<void> Builder::configure_server(State& state) const {
  for (const Certificate& pem : certificates_) {
    auto certificate = tls::load_certificate(pem.chain_pem, pem.key_pem);
    if (!certificate) return std::unexpected(certificate.error());
    int own = mbedtls_ssl_conf_own_cert(&state.ssl, &(*certificate)->chain, &(*certificate)->key);
    if (own != 0)
      return std::unexpected(tls::mbedtls_error(own, "TLS config: certificate refused"));
    state.certificates.push_back(std::move(*certificate));
  }
  mbedtls_ssl_conf_sni(&state.ssl, tls::select_certificates, &state);
  if (!handshake_answers_.empty()) {
    state.handshake_answers = handshake_answers_;
    mbedtls_ssl_conf_cert_cb(&state.ssl, tls::select_handshake_answer);
  }
  if (auto cache = configure_session_cache(state); !cache) return cache;
  if (!tickets_) {
    mbedtls_ssl_conf_new_session_tickets(&state.ssl, 0);
    return {};
  }
  int setup = mbedtls_ssl_ticket_setup(&state.tickets, tls::random_bytes, tls::random_context(),
                                       MBEDTLS_CIPHER_AES_256_GCM, tls::kTicketKeyLifetimeSeconds);
  if (setup != 0) return std::unexpected(tls::mbedtls_error(setup, "TLS config: session tickets"));
  mbedtls_ssl_conf_session_tickets_cb(&state.ssl, mbedtls_ssl_ticket_write,
                                      mbedtls_ssl_ticket_parse, &state.tickets);
  return {};
}

// TLS 1.2 clients that take no ticket resume by session ID: the server keeps
// their sessions in a cache bounded in entries (the oldest goes first) and in
// age. TLS 1.3 resumes by tickets only.
Result<void> Builder::configure_session_cache(State& state) const {
  if (session_cache_entries_ == 0) return {};
  constexpr std::uint64_t kNanosecondsPerSecond = 1'000'000'000;
  const std::uint64_t lifetime_seconds = session_cache_lifetime_ / kNanosecondsPerSecond;
  // mbedTLS counts both in an int, and reads a lifetime of 0 as "forever".
  constexpr std::uint64_t kIntMax = std::numeric_limits<int>::max();
  if (session_cache_entries_ > kIntMax || lifetime_seconds == 0 || lifetime_seconds > kIntMax)
    return fail(Errc::invalid_argument,
                "TLS config: a session cache holds 1 s to 2^31 - 1 s, at most 2^31 - 1 entries");
  mbedtls_ssl_cache_set_max_entries(&state.session_cache, static_cast<int>(session_cache_entries_));
  mbedtls_ssl_cache_set_timeout(&state.session_cache, static_cast<int>(lifetime_seconds));
  mbedtls_ssl_conf_session_cache(&state.ssl, &state.session_cache, mbedtls_ssl_cache_get,
                                 mbedtls_ssl_cache_set);
  return {};
}

Result<void> Builder::configure_client(State& state) const {
  for (const Buffer& pem : trusted_cas_) {
    if (auto parsed = tls::parse_certificates(state.trusted_cas, pem, true,
                                              "TLS config: cannot parse a CA certificate");
        !parsed)
      return parsed;
  }
  // A certificate trusted as it is also goes on the CA list: mbedTLS then
  // accepts a self-signed one itself, and refuses to verify without any CA.
  for (const Buffer& pem : trusted_certificates_) {
    for (mbedtls_x509_crt* list : {&state.trusted_certificates, &state.trusted_cas}) {
      if (auto parsed = tls::parse_certificates(*list, pem, false,
                                                "TLS config: cannot parse a trusted certificate");
          !parsed)
        return parsed;
    }
    state.has_trusted_certificates = true;
  }
  state.verify_peer = !insecure_;
  mbedtls_ssl_conf_authmode(&state.ssl,
                            insecure_ ? MBEDTLS_SSL_VERIFY_NONE : MBEDTLS_SSL_VERIFY_REQUIRED);
  if (!insecure_) mbedtls_ssl_conf_ca_chain(&state.ssl, &state.trusted_cas, nullptr);
  mbedtls_ssl_conf_session_tickets(&state.ssl, tickets_ ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                        : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
  // TLS 1.3 tickets arrive after the handshake; mbedTLS then stops read()
  // once (MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) so the flow saves it.
  mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
      &state.ssl, tickets_ ? MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED
                           : MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_DISABLED);
  return {};
}

}  // namespace paf
