// The context: persistent singly linked lists, newest first. Adding a binding
// or a registration links one node in front of the shared rest, so a copy is
// three shared pointers and nothing a context holds is ever modified.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "paf/mimic.h"

namespace paf::mimic {

struct Ctx::Entry {
  const KeyBase* key;
  std::shared_ptr<const void> value;  // null: the key was removed (without())
  std::shared_ptr<const Entry> next;
};

template <typename Item>
struct Ctx::Registration {
  Item item;
  std::size_t sequence;  // registration order, for equal priorities
  std::shared_ptr<const Registration> next;
};

Ctx Ctx::with_entry(const KeyBase& key, std::shared_ptr<const void> value) const {
  Ctx ctx = *this;
  ctx.entries_ = std::make_shared<const Entry>(Entry{&key, std::move(value), entries_});
  return ctx;
}

const void* Ctx::find_entry(const KeyBase& key) const {
  for (const Entry* entry = entries_.get(); entry != nullptr; entry = entry->next.get())
    if (entry->key == &key) return entry->value.get();
  return nullptr;
}

Ctx Ctx::with_protocol(Protocol protocol) const {
  Ctx ctx = *this;
  std::size_t sequence = protocols_ ? protocols_->sequence + 1 : 0;
  ctx.protocols_ = std::make_shared<const Registration<Protocol>>(
      Registration<Protocol>{std::move(protocol), sequence, protocols_});
  return ctx;
}

Ctx Ctx::with_derivation(Derivation derivation) const {
  Ctx ctx = *this;
  std::size_t sequence = derivations_ ? derivations_->sequence + 1 : 0;
  ctx.derivations_ = std::make_shared<const Registration<Derivation>>(
      Registration<Derivation>{std::move(derivation), sequence, derivations_});
  return ctx;
}

std::vector<const Protocol*> Ctx::protocols() const {
  std::vector<const Registration<Protocol>*> registered;
  for (auto* node = protocols_.get(); node != nullptr; node = node->next.get())
    registered.push_back(node);
  std::stable_sort(registered.begin(), registered.end(), [](auto* a, auto* b) {
    if (a->item.priority != b->item.priority) return a->item.priority < b->item.priority;
    return a->sequence < b->sequence;
  });
  std::vector<const Protocol*> ordered;
  ordered.reserve(registered.size());
  for (auto* node : registered) ordered.push_back(&node->item);
  return ordered;
}

std::vector<const Derivation*> Ctx::derivations() const {
  std::vector<const Derivation*> ordered;
  for (auto* node = derivations_.get(); node != nullptr; node = node->next.get())
    ordered.push_back(&node->item);
  std::reverse(ordered.begin(), ordered.end());
  return ordered;
}

}  // namespace paf::mimic
