// How paf keeps a callback from reaching an object that is gone: the one
// utility for it (docs/ARCHITECTURE.md, "Ownership and wake-ups", rule 4).
//
// An object that hands out callbacks which may run after it is destroyed (a
// wakeup given to another object, a callback posted on the loop) owns an
// Anchor; each such callback holds an Anchor::Ref and checks it before
// touching the object. An object that calls out to code which may destroy it
// (a flow calling its wakeups) takes a Ref first and checks it after:
//
//   loop.post([alive = anchor_.ref()] {
//     if (Flow* self = alive.get()) self->on_ready();
//   });
//
// Single-threaded, as the loop is: the count is a plain integer, and a Ref is
// one pointer, so a callback holding one (and a member pointer) still fits in
// a paf::Function's inline storage and allocates nothing.
#ifndef PAF_DETAIL_ANCHOR_H
#define PAF_DETAIL_ANCHOR_H

#include <cstddef>
#include <utility>

#include "paf/function.h"

namespace paf {

template <typename T>
class Anchor {
  struct Record {
    T* object;
    std::size_t references;
  };

 public:
  // A counted reference to the anchor's record, which outlives the object.
  class Ref {
   public:
    Ref() = default;
    Ref(Ref&& other) noexcept : record_(std::exchange(other.record_, nullptr)) {}
    Ref& operator=(Ref&& other) noexcept {
      std::swap(record_, other.record_);
      return *this;
    }
    Ref(const Ref&) = delete;
    Ref& operator=(const Ref&) = delete;
    ~Ref() { Anchor::release(record_); }

    // The object, or nullptr once it is destroyed.
    T* get() const { return record_ != nullptr ? record_->object : nullptr; }
    explicit operator bool() const { return get() != nullptr; }

   private:
    friend class Anchor;
    explicit Ref(Record* record) : record_(record) { ++record_->references; }
    Record* record_ = nullptr;
  };

  explicit Anchor(T* object) : record_(new Record{object, 1}) {}
  Anchor(const Anchor&) = delete;
  Anchor& operator=(const Anchor&) = delete;
  // Every Ref sees nullptr from now on.
  ~Anchor() {
    record_->object = nullptr;
    release(record_);
  }

  Ref ref() const { return Ref(record_); }

 private:
  static void release(Record* record) {
    if (record != nullptr && --record->references == 0) delete record;
  }
  Record* record_;
};

// Calls the one-shot callback in `slot`, if there is one. The slot is emptied
// first, so the callback may arm it again, or destroy the slot's owner (check
// the owner's Anchor before touching it after). `before` runs between the two,
// while the owner surely lives (a flow updating what it waits for).
template <typename Before>
void fire_once(Function<void()>& slot, Before&& before) {
  if (!slot) return;
  Function<void()> once = std::move(slot);
  slot = nullptr;
  before();
  once();
}
inline void fire_once(Function<void()>& slot) {
  fire_once(slot, [] {});
}

}  // namespace paf

#endif
