// The stop switch (Lwt_switch's role): whoever can be stopped (a listener, a
// connection, a client) registers a hook; turning the switch off calls every
// hook, once. `serve(service, listener, stop)` stops accepting and shuts its
// connections down gracefully when `stop` is turned off.
#ifndef PAF_SWITCH_H
#define PAF_SWITCH_H

#include <cstdint>
#include <vector>

#include "paf/function.h"

namespace paf {

class Switch {
 public:
  // Names a registered hook for remove_hook(); the default value names none.
  struct HookId {
    std::uint64_t value = 0;
    friend bool operator==(HookId, HookId) = default;
  };

  Switch() = default;
  Switch(const Switch&) = delete;
  Switch& operator=(const Switch&) = delete;
  ~Switch() = default;  // hooks not yet called are dropped, not called

  bool is_on() const { return on_; }

  // Calls `hook` once when the switch is turned off; if it already is off,
  // calls it now (and returns HookId{}).
  HookId on_turn_off(Function<void()> hook);
  // Forgets a hook not yet called (its owner ended first); unknown ids are ignored.
  void remove_hook(HookId id);
  // Turns the switch off and calls the hooks in the order registered, each
  // once; hooks registered or removed meanwhile are honoured (a hook must not
  // destroy the switch). Later calls do nothing.
  void turn_off();

 private:
  struct Hook {
    HookId id;
    Function<void()> callback;  // empty once removed during turn_off()
  };
  std::vector<Hook> hooks_;
  std::uint64_t next_id_ = 1;
  bool on_ = true;
};

}  // namespace paf

#endif
