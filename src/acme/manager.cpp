// paf::acme::Manager: the store's certificate or a new one in the slot at
// start, then a renewal when the threshold is crossed, and retries with
// backoff when the CA fails. One timer at a time says what comes next; the
// provisioning in flight, if any, is cancelled with the Manager.
#include <algorithm>
#include <optional>
#include <utility>

#include "paf/acme_manager.h"
#include "paf/platform.h"
#include "text.h"

namespace paf::acme {

namespace {

// "3 s", or "100 ms" below a second.
Buffer duration_text(std::uint64_t ns) {
  Buffer out;
  if (ns < seconds(1)) {
    out.append_number(ns / milliseconds(1));
    out.append(" ms");
  } else {
    out.append_number(ns / seconds(1));
    out.append(" s");
  }
  return out;
}

// value * numerator / denominator without overflowing for any lifetime.
std::uint64_t fraction_of(std::uint64_t value, std::uint64_t numerator, std::uint64_t denominator) {
  if (denominator == 0) return 0;
  return value / denominator * numerator + value % denominator * numerator / denominator;
}

}  // namespace

struct Manager::State {
  ManagerConfig config;
  Client& client;
  Loop& loop;
  std::vector<Buffer> names;  // what the certificate must name: the first config's
  std::optional<jose::EcKey> account_key;
  std::optional<CertificateInfo> current;
  // The wall clock when the certificate came (its notBefore if the clock
  // says 0), and the loop's then: the time now, should the wall clock fail.
  std::uint64_t wall_at_install = 0, loop_at_install = 0;
  std::optional<std::uint64_t> last_issued_at;  // the loop's time
  std::size_t issued = 0;
  std::size_t failures = 0;  // in a row
  Provisioning provisioning;
  TimerId timer;

  State(ManagerConfig c, Client& cl, Loop& l) : config(std::move(c)), client(cl), loop(l) {
    if (!config.store) config.store = std::make_shared<MemoryStore>();
  }

  ~State() { loop.cancel_timer(timer); }

  void log(std::string_view line) {
    if (config.log) config.log(line);
  }

  std::uint64_t wall_now() {
    const std::uint64_t now = config.wall_clock ? config.wall_clock() : paf_clock_wall();
    if (now != 0) return now;
    return wall_at_install + (loop.now_ns() - loop_at_install);
  }

  // The one thing to do next, after `delay_ns`.
  void after(std::uint64_t delay_ns, void (State::*next)()) {
    loop.cancel_timer(timer);
    timer = loop.add_timer_after(delay_ns, [this, next] {
      timer = {};
      (this->*next)();
    });
  }

  // --- start: the account key, then the store's certificate or a new one ----

  void start() {
    if (!config.acme) {
      log("ACME: the manager has no config to provision with");
      return;
    }
    Config first = config.acme();
    names = first.names;
    if (first.account_key) {
      account_key = first.account_key;  // the application's: not the store's business
    } else if (!load_account_key()) {
      return;
    }
    if (!install_stored_certificate()) provision();
  }

  bool load_account_key() {
    auto stored = config.store->load_account_key();
    if (!stored)
      log(text("ACME: the store cannot give the account key: ", stored.error().message).view());
    if (stored && !stored->empty()) {
      auto key = jose::EcKey::from_pem(stored->view());
      if (key) {
        account_key = std::move(*key);
        log("ACME: account key from the store");
        return true;
      }
      log(text("ACME: the stored account key is unusable (", key.error().message,
               "): making a new one")
              .view());
    }
    auto made = jose::EcKey::generate();
    auto pem = made ? made->to_pem() : std::unexpected(made.error());
    if (!pem) {
      log(text("ACME: making an account key failed: ", pem.error().message).view());
      failed(Failure{pem.error(), {}, {}, 0});
      return false;
    }
    account_key = std::move(*made);
    auto saved = config.store->save_account_key(pem->view());
    log(saved ? "ACME: new account key, saved in the store"
              : text("ACME: new account key; the store cannot keep it: ", saved.error().message)
                    .view());
    return true;
  }

  // Whether the store's certificate went into the slot: it must name every
  // name and not have expired.
  bool install_stored_certificate() {
    auto stored = config.store->load_certificate();
    if (!stored) {
      log(text("ACME: the store cannot give the certificate: ", stored.error().message).view());
      return false;
    }
    if (stored->chain_pem.empty()) return false;
    auto info = certificate_info(stored->chain_pem.view());
    if (!info) {
      log(text("ACME: the stored certificate is unusable: ", info.error().message).view());
      return false;
    }
    if (!info->covers(names)) {
      log("ACME: the stored certificate does not name every domain: ordering another");
      return false;
    }
    if (wall_now() >= info->not_after_ns) {
      log(text("ACME: the stored certificate expired at ", utc_text(info->not_after_ns).view())
              .view());
      return false;
    }
    return install(*stored, std::move(*info), true);
  }

  // --- the certificate in the slot, and when to renew it --------------------

  bool install(const StoredCertificate& certificate, CertificateInfo info, bool from_store) {
    Result<TlsConfig> tls =
        config.tls_config
            ? config.tls_config(certificate.chain_pem.view(), certificate.key_pem.view())
            : TlsConfig::server(certificate.chain_pem.view(), certificate.key_pem.view())
                  .alpn({"h2", "http/1.1"})
                  .build();
    if (!tls) {
      log(text("ACME: the certificate cannot serve: ", tls.error().message).view());
      return false;
    }
    config.slot.set(std::move(*tls));
    current = std::move(info);
    const std::uint64_t wall = config.wall_clock ? config.wall_clock() : paf_clock_wall();
    wall_at_install = wall != 0 ? wall : current->not_before_ns;
    loop_at_install = loop.now_ns();
    Buffer line(from_store ? "ACME: certificate from the store, serial "
                           : "ACME: certificate serial ");
    line.append(current->serial.view());
    line.append(", valid until ");
    line.append(utc_text(current->not_after_ns).view());
    line.append("; renewal from ");
    line.append(utc_text(renewal_time()).view());
    log(line.view());
    if (config.on_certificate) config.on_certificate(*current, from_store);
    check();
    return true;
  }

  // When renewal starts: the threshold before notAfter (wall time).
  std::uint64_t renewal_time() const {
    const std::uint64_t lifetime = current->not_after_ns > current->not_before_ns
                                       ? current->not_after_ns - current->not_before_ns
                                       : 0;
    const std::uint64_t threshold = config.renew_when_remaining_below_ns != 0
                                        ? config.renew_when_remaining_below_ns
                                        : fraction_of(lifetime, config.renew_fraction_numerator,
                                                      config.renew_fraction_denominator);
    return current->not_after_ns > threshold ? current->not_after_ns - threshold : 0;
  }

  // Renews if it is time, else sleeps until it is (or until the wall clock
  // is read again).
  void check() {
    const std::uint64_t now = wall_now(), renew_at = renewal_time();
    std::uint64_t wait = renew_at > now ? renew_at - now : 0;
    if (last_issued_at) {
      const std::uint64_t since = loop.now_ns() - *last_issued_at;
      if (since < config.min_renewal_interval_ns)
        wait = std::max(wait, config.min_renewal_interval_ns - since);
    }
    if (wait == 0) {
      log(text("ACME: renewing, ",
               now < current->not_after_ns ? duration_text(current->not_after_ns - now).view()
                                           : std::string_view("no time"),
               " of the certificate left")
              .view());
      return provision();
    }
    after(std::min(wait, config.check_interval_ns), &State::check);
  }

  // --- provisioning, and what its outcome does ------------------------------

  void provision() {
    Config with = config.acme();
    if (!with.account_key) with.account_key = account_key;
    provisioning = provision_certificate(
        std::move(with), client, loop, [this](Outcome outcome) { on_outcome(std::move(outcome)); });
  }

  void on_outcome(Outcome outcome) {
    if (!outcome) return failed(std::move(outcome.error()));
    ++issued;
    last_issued_at = loop.now_ns();
    StoredCertificate certificate{std::move(outcome->chain_pem), std::move(outcome->key_pem)};
    auto info = certificate_info(certificate.chain_pem.view());
    if (!info)
      return failed(Failure{info.error(), Buffer(), Buffer("the CA's chain cannot be parsed"), 0});
    auto saved = config.store->save_certificate(certificate);
    if (!saved)
      log(text("ACME: the store cannot keep the certificate: ", saved.error().message).view());
    if (!install(certificate, std::move(*info), false))
      return failed(
          Failure{Error{Errc::tls_error, "ACME: the certificate cannot serve"}, {}, {}, 0});
    failures = 0;
  }

  // Tries again after the backoff (doubling from the first delay up to the
  // maximum), or after the CA's Retry-After when that is later.
  void failed(Failure failure) {
    ++failures;
    std::uint64_t delay = config.retry_initial_delay_ns;
    for (std::size_t i = 1; i < failures && delay < config.retry_max_delay_ns; ++i) delay *= 2;
    delay = std::min(delay, config.retry_max_delay_ns);
    delay = std::max(delay, failure.retry_after_ns);
    log(text("ACME: trying again in ", duration_text(delay).view()).view());
    if (config.on_failure) config.on_failure(failure, delay);
    after(delay, &State::provision);
  }
};

Manager::Manager(ManagerConfig config, Client& client, Loop& loop)
    : state_(std::make_unique<State>(std::move(config), client, loop)) {
  state_->after(0, &State::start);
}

Manager::~Manager() = default;

const CertificateInfo* Manager::certificate() const {
  return state_->current ? &*state_->current : nullptr;
}

std::size_t Manager::issued() const { return state_->issued; }

}  // namespace paf::acme
