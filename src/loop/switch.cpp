#include "paf/switch.h"

#include <algorithm>
#include <utility>

namespace paf {

Switch::HookId Switch::on_turn_off(Function<void()> hook) {
  if (!on_) {
    hook();
    return {};
  }
  HookId id{next_id_++};
  hooks_.push_back({id, std::move(hook)});
  return id;
}

void Switch::remove_hook(HookId id) {
  auto it = std::find_if(hooks_.begin(), hooks_.end(), [id](const Hook& h) { return h.id == id; });
  if (it == hooks_.end()) return;
  if (on_)
    hooks_.erase(it);
  else
    it->callback = nullptr;  // turn_off() is walking hooks_: keep the indices stable
}

void Switch::turn_off() {
  if (!on_) return;
  on_ = false;
  // Hooks registered from now on run at once, so hooks_ no longer grows.
  for (Hook& hook : hooks_) {
    Function<void()> callback = std::move(hook.callback);
    hook.callback = nullptr;
    if (callback) callback();
  }
  hooks_.clear();
}

}  // namespace paf
