// Flows that pass every call to the flow they wrap, for tests that watch one
// call (derive, override it, call the base): ForwardingFlow<> wraps a Flow,
// ForwardingSecureFlow a SecureFlow.
#ifndef PAF_TESTS_SUPPORT_FORWARDING_FLOW_H
#define PAF_TESTS_SUPPORT_FORWARDING_FLOW_H

#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "paf/flow.h"
#include "paf/secure_flow.h"

namespace paf::testing {

template <typename Interface = Flow>
class ForwardingFlow : public Interface {
 public:
  explicit ForwardingFlow(std::unique_ptr<Interface> inner) : inner_(std::move(inner)) {}

  Result<std::size_t> read(MutableBytes buffer) override { return inner_->read(buffer); }
  Result<std::size_t> writev(std::span<const Bytes> buffers) override {
    return inner_->writev(buffers);
  }
  Result<void> shutdown_write() override { return inner_->shutdown_write(); }
  void close() override { inner_->close(); }
  void when_readable(Function<void()> wakeup) override { inner_->when_readable(std::move(wakeup)); }
  void when_writable(Function<void()> wakeup) override { inner_->when_writable(std::move(wakeup)); }
  bool write_pending() const override { return inner_->write_pending(); }
  std::string_view peer() const override { return inner_->peer(); }

 protected:
  std::unique_ptr<Interface> inner_;
};

class ForwardingSecureFlow : public ForwardingFlow<SecureFlow> {
 public:
  using ForwardingFlow<SecureFlow>::ForwardingFlow;

  Result<void> handshake() override { return inner_->handshake(); }
  bool handshake_done() const override { return inner_->handshake_done(); }
  std::string_view alpn() const override { return inner_->alpn(); }
  std::string_view server_name() const override { return inner_->server_name(); }
  bool handshake_only() const override { return inner_->handshake_only(); }
};

}  // namespace paf::testing

#endif
