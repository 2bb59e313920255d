// A session's recycled nghttp2 memory (see session_memory.h).
#include "session_memory.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

namespace paf::h2 {
namespace {

// Every block starts with a header that says its size class (0: a large
// block), padded so that the block itself keeps the heap's alignment.
struct alignas(alignof(std::max_align_t)) Header {
  std::size_t size_class;
  std::size_t capacity;  // bytes after the header
};

Header* header_of(void* block) { return static_cast<Header*>(block) - 1; }

}  // namespace

SessionMemory::SessionMemory() {
  mem_.mem_user_data = this;
  mem_.malloc = [](std::size_t size, void* self) {
    return static_cast<SessionMemory*>(self)->allocate(size);
  };
  mem_.free = [](void* block, void* self) { static_cast<SessionMemory*>(self)->release(block); };
  mem_.calloc = [](std::size_t count, std::size_t size, void* self) -> void* {
    if (size != 0 && count > SIZE_MAX / size) return nullptr;
    void* block = static_cast<SessionMemory*>(self)->allocate(count * size);
    if (block != nullptr) std::memset(block, 0, count * size);
    return block;
  };
  mem_.realloc = [](void* block, std::size_t size, void* self) {
    return static_cast<SessionMemory*>(self)->reallocate(block, size);
  };
}

SessionMemory::~SessionMemory() {
  for (FreeBlock*& list : free_) {
    while (list != nullptr) {
      FreeBlock* block = list;
      list = block->next;
      ::operator delete(header_of(block));
    }
  }
}

void* SessionMemory::allocate(std::size_t size) {
  const std::size_t size_class = size <= kLargestRecycled ? (size + kGranule - 1) / kGranule : 0;
  if (size_class != 0 && free_[size_class] != nullptr) {
    FreeBlock* block = free_[size_class];
    free_[size_class] = block->next;
    --kept_[size_class];
    return block;
  }
  const std::size_t capacity = size_class != 0 ? size_class * kGranule : size;
  if (capacity > SIZE_MAX - sizeof(Header)) return nullptr;
  void* memory = ::operator new(sizeof(Header) + capacity, std::nothrow);
  if (memory == nullptr) return nullptr;
  auto* header = static_cast<Header*>(memory);
  header->size_class = size_class;
  header->capacity = capacity;
  return header + 1;
}

void SessionMemory::release(void* block) {
  if (block == nullptr) return;
  Header* header = header_of(block);
  const std::size_t size_class = header->size_class;
  if (size_class == 0 || kept_[size_class] >= kKeptPerSize) return ::operator delete(header);
  free_[size_class] = new (block) FreeBlock{free_[size_class]};
  ++kept_[size_class];
}

void* SessionMemory::reallocate(void* block, std::size_t size) {
  if (block == nullptr) return allocate(size);
  const std::size_t capacity = header_of(block)->capacity;
  if (size <= capacity) return block;
  void* grown = allocate(size);
  if (grown == nullptr) return nullptr;  // the old block stays, as realloc's does
  std::memcpy(grown, block, capacity);
  release(block);
  return grown;
}

std::size_t SessionMemory::kept() const {
  std::size_t total = 0;
  for (std::uint8_t count : kept_) total += count;
  return total;
}

}  // namespace paf::h2
