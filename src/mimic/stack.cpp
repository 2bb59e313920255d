// Mimic's protocols over paf's lwIP stack (the image's network): TCP through
// Stack::connect, TLS over it, and names through Stack::resolve.
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/mimic.h"
#include "paf/net.h"

namespace paf::mimic {
namespace {

// Stack::resolve cannot be called off: a dropped lookup's answer is ignored.
class StackLookup final : public Pending {
 public:
  std::weak_ptr<char> alive() const { return alive_; }

 private:
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace

Protocol stack_tcp_protocol(Stack& stack, int priority) {
  return tcp_protocol("tcp", priority, [&stack](std::string_view ip, std::uint16_t port) {
    return stack.connect(ip, port);
  });
}

Derivation stack_dns(Stack& stack) {
  return Derivation{
      "dns",
      {&keys::host},
      &keys::addresses,
      [&stack](const Ctx& ctx, Loop&,
               Function<void(Result<Ctx>)> done) -> Result<std::unique_ptr<Pending>> {
        auto lookup = std::make_unique<StackLookup>();
        stack.resolve(
            ctx.find(keys::host)->view(), [ctx, alive = lookup->alive(), done = std::move(done)](
                                              Result<AddressText> address) mutable {
              if (alive.expired()) return;
              if (!address) return done(std::unexpected(address.error()));
              done(ctx.with(keys::addresses, std::vector<Buffer>{Buffer(address->view())}));
            });
        return lookup;
      }};
}

Ctx with_stack_protocols(const Ctx& ctx, Stack& stack) {
  return ctx.with_derivation(stack_dns(stack))
      .with_protocol(stack_tcp_protocol(stack))
      .with_protocol(tls_over("tls+tcp", stack_tcp_protocol(stack)));
}

}  // namespace paf::mimic
