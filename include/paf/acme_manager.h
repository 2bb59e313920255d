// paf::acme::Manager: a certificate kept live for a running HTTPS service.
// It puts a certificate in a TlsConfigSlot at start (the one a Store kept,
// while it is good, else a new one from the CA), and renews it when little
// of its lifetime is left (a third, by default): the renewed chain goes into
// the slot, so new handshakes get it while connections already up keep
// theirs. A failure is tried again with a bounded, doubling backoff, never
// before the CA's Retry-After; the certificate in the slot keeps serving.
//
//   paf::TlsConfigSlot slot;                                 // empty until the first certificate
//   paf::serve(loop, paf::https_service(slot, app, on_error), listener443, stop);
//   paf::acme::Manager manager({.acme = [&] { return config_for(names); },  // paf::acme::Config
//                               .store = std::make_shared<paf::acme::MemoryStore>(),
//                               .slot = slot},
//                              client, loop);
//
// A Store keeps the account key and the certificate with its key: a host
// keeps them in files (tools/common/acme_file_store.h), an image in memory
// (MemoryStore), so that a restart neither orders again nor makes a new
// account. Times are Unix nanoseconds of the wall clock (paf_clock_wall),
// timers the loop's.
#ifndef PAF_ACME_MANAGER_H
#define PAF_ACME_MANAGER_H

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "paf/acme.h"
#include "paf/buffer.h"
#include "paf/client.h"
#include "paf/function.h"
#include "paf/loop.h"
#include "paf/result.h"
#include "paf/tls.h"
#include "paf/tls_config_slot.h"

namespace paf::acme {

// What a certificate's leaf says of itself, parsed by mbedTLS.
struct CertificateInfo {
  std::uint64_t not_before_ns = 0;  // Unix time
  std::uint64_t not_after_ns = 0;
  Buffer serial;              // uppercase hex, as `openssl x509 -serial` prints it
  std::vector<Buffer> names;  // its DNS subjectAltNames
  // The issuer common name of the chain's last (topmost) certificate: the
  // root it chains to, which Config::preferred_chain names. Empty: none.
  Buffer top_issuer;
  // Whether each of `wanted` is one of names (compared without regard to case).
  bool covers(std::span<const Buffer> wanted) const;
};

// The leaf (the first certificate) of a PEM chain, and the issuer of its
// last; invalid_argument when there is none or mbedTLS cannot parse it.
Result<CertificateInfo> certificate_info(std::string_view chain_pem);

// "2026-12-07T15:04:05Z" for Unix nanoseconds: a time in a log line.
Buffer utc_text(std::uint64_t unix_ns);

// A certificate chain (leaf first) and its key, in PEM. The key is a secret.
struct StoredCertificate {
  Buffer chain_pem;
  Buffer key_pem;
};

// Where a Manager keeps what outlives it. Loading what was never saved gives
// an empty PEM; an error is for a store that cannot be read or written (the
// Manager logs it and goes on without).
class Store {
 public:
  virtual ~Store() = default;
  virtual Result<Buffer> load_account_key() = 0;
  virtual Result<void> save_account_key(std::string_view key_pem) = 0;
  virtual Result<StoredCertificate> load_certificate() = 0;
  virtual Result<void> save_certificate(const StoredCertificate& certificate) = 0;
};

// A Store in memory: an image's, or a host's that keeps nothing across runs.
class MemoryStore final : public Store {
 public:
  Result<Buffer> load_account_key() override { return account_key_; }
  Result<void> save_account_key(std::string_view key_pem) override {
    account_key_ = Buffer(key_pem);
    return {};
  }
  Result<StoredCertificate> load_certificate() override { return certificate_; }
  Result<void> save_certificate(const StoredCertificate& certificate) override {
    certificate_ = certificate;
    return {};
  }

 private:
  Buffer account_key_;
  StoredCertificate certificate_;
};

struct ManagerConfig {
  // Makes each provisioning's config when it starts: the directory, names,
  // HTTP-01 responder, log, ... An absent account_key is the store's
  // (loaded, else generated and saved before the first order).
  Function<Config()> acme;
  // What is kept across runs; none: nothing is (a MemoryStore).
  std::shared_ptr<Store> store;
  // Where each certificate goes, as the TlsConfig tls_config makes of it.
  TlsConfigSlot slot;
  // The server config of a chain and its key; none: TlsConfig::server with
  // ALPN h2, then http/1.1.
  Function<Result<TlsConfig>(std::string_view chain_pem, std::string_view key_pem)> tls_config;
  // Renewal starts once less than this is left of the certificate's
  // lifetime: renew_when_remaining_below_ns when not 0, else the fraction
  // renew_fraction_numerator / renew_fraction_denominator of the lifetime.
  std::uint64_t renew_when_remaining_below_ns = 0;
  std::uint64_t renew_fraction_numerator = 1;
  std::uint64_t renew_fraction_denominator = 3;
  // At least this long between two orders that succeeded, so that a
  // threshold at or above the lifetime does not order back to back.
  std::uint64_t min_renewal_interval_ns = seconds(60);
  // A failed provisioning is tried again after retry_initial_delay_ns,
  // doubling up to retry_max_delay_ns, and never before the CA's Retry-After.
  std::uint64_t retry_initial_delay_ns = seconds(10);
  std::uint64_t retry_max_delay_ns = seconds(3600);
  // The longest the Manager sleeps before reading the wall clock again (it
  // may be set meanwhile).
  std::uint64_t check_interval_ns = seconds(3600);
  // Unix nanoseconds; none: paf_clock_wall(). A clock that says 0 (no idea
  // of the date) makes a certificate's notBefore the time it came.
  Function<std::uint64_t()> wall_clock;
  // One line per step (no secret: no key, no JWS); optional.
  Function<void(std::string_view line)> log;
  // A certificate went into the slot (from the store, or from the CA).
  Function<void(const CertificateInfo& info, bool from_store)> on_certificate;
  // A provisioning failed; the next try is in retry_in_ns.
  Function<void(const Failure& failure, std::uint64_t retry_in_ns)> on_failure;
};

// Starts on the loop's next turn. Destroying it cancels what is in flight
// (no callback is called after); the slot keeps the last certificate. Its
// callbacks must not destroy it (post that on the loop).
// `client` (which trusts the directory's CA) and `loop` must outlive it.
class Manager {
 public:
  Manager(ManagerConfig config, Client& client, Loop& loop);
  ~Manager();
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // The certificate in the slot; null until there is one.
  const CertificateInfo* certificate() const;
  // How many certificates the CA issued to this manager.
  std::size_t issued() const;

  struct State;  // src/acme/manager.cpp

 private:
  std::unique_ptr<State> state_;
};

}  // namespace paf::acme

#endif
