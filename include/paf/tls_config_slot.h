// A TLS server config that can be replaced while a service runs: how a
// certificate is renewed without dropping a connection. https_service reads
// the slot at each accepted connection; a TlsFlow holds the config it
// started with (a shared, immutable TlsConfig), so connections already up
// keep their certificate and new handshakes get the new one.
//
//   paf::TlsConfigSlot slot(*first);
//   paf::serve(loop, paf::https_service(slot, handler, on_error), listener, stop);
//   ...
//   slot.set(*renewed);  // the next handshake presents the renewed chain
#ifndef PAF_TLS_CONFIG_SLOT_H
#define PAF_TLS_CONFIG_SLOT_H

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "paf/tls.h"

namespace paf {

// Copies share one slot (a service holds one, the code that renews another).
// One thread, as the loop: no locking.
class TlsConfigSlot {
 public:
  // Empty: a service over it refuses handshakes until set() is called.
  TlsConfigSlot() : state_(std::make_shared<State>()) {}
  explicit TlsConfigSlot(TlsConfig config) : TlsConfigSlot() { set(std::move(config)); }

  // The config for the next handshake; none while empty.
  const std::optional<TlsConfig>& current() const { return state_->config; }
  // From now on new handshakes use `config`; flows already made keep theirs.
  void set(TlsConfig config) {
    state_->config = std::move(config);
    ++state_->generation;
  }
  // How many times set() was called: a config's version number.
  std::uint64_t generation() const { return state_->generation; }

 private:
  struct State {
    std::optional<TlsConfig> config;
    std::uint64_t generation = 0;
  };
  std::shared_ptr<State> state_;
};

}  // namespace paf

#endif
