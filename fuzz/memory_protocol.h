// A Mimic protocol of the fuzz targets' own for paf::Client: every
// connection is an in-memory flow pair, connected on the loop's next turn,
// whose server end goes to the target (written by the fuzzer, or served).
#ifndef PAF_FUZZ_MEMORY_PROTOCOL_H
#define PAF_FUZZ_MEMORY_PROTOCOL_H

#include <memory>

#include "paf/function.h"
#include "paf/loop.h"
#include "paf/memory_flow.h"
#include "paf/mimic.h"

namespace paf::fuzz {

// The protocol's attempt: connects on the loop's next turn, unless destroyed.
class Soon final : public mimic::Pending {
 public:
  Soon(Loop& loop, Function<void()> then) : alive_(std::make_shared<bool>(true)) {
    loop.post([alive = std::weak_ptr<bool>(alive_), then = std::move(then)]() mutable {
      if (alive.lock()) then();
    });
  }

 private:
  std::shared_ptr<bool> alive_;
};

// "memory": each connection's server end is given to `on_server_end` at once.
inline mimic::Protocol memory_protocol(
    Function<void(std::unique_ptr<MemoryFlow> server_end) const> on_server_end) {
  return mimic::Protocol{
      "memory",
      0,
      {&mimic::keys::host},
      {},
      [on_server_end = std::move(on_server_end)](const mimic::Ctx&, Loop& loop,
                                                 Function<void(Result<mimic::Connected>)> done)
          -> Result<std::unique_ptr<mimic::Pending>> {
        auto pair = MemoryFlow::pair(loop);
        on_server_end(std::move(pair.server));
        return std::unique_ptr<mimic::Pending>(std::make_unique<Soon>(
            loop, [done = std::move(done), flow = std::move(pair.client)]() mutable {
              done(mimic::Connected{std::move(flow), nullptr, "memory"});
            }));
      }};
}

}  // namespace paf::fuzz

#endif
