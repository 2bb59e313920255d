// A session's recycled nghttp2 memory (src/h2/session_memory.h), alone; every
// other h2 test runs it under a session.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "h2/session_memory.h"

namespace paf::h2 {
namespace {

bool aligned(void* block) {
  return reinterpret_cast<std::uintptr_t>(block) % alignof(std::max_align_t) == 0;
}

TEST(SessionMemory, AFreedBlockServesTheNextAllocationOfItsSize) {
  SessionMemory memory;
  void* first = memory.allocate(100);
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(aligned(first));
  memory.release(first);
  EXPECT_EQ(memory.kept(), 1u);
  EXPECT_EQ(memory.allocate(97), first);  // the same size class: 97-112 bytes
  EXPECT_EQ(memory.kept(), 0u);
  void* other = memory.allocate(20);
  EXPECT_NE(other, first);
  memory.release(first);
  memory.release(other);
  EXPECT_EQ(memory.kept(), 2u);
}

TEST(SessionMemory, KeepsABoundedNumberOfBlocksAndNoLargeOnes) {
  SessionMemory memory;
  std::vector<void*> blocks;
  for (std::size_t i = 0; i < 3 * SessionMemory::kKeptPerSize; ++i) blocks.push_back(memory.allocate(64));
  for (void* block : blocks) memory.release(block);
  EXPECT_EQ(memory.kept(), SessionMemory::kKeptPerSize);
  void* large = memory.allocate(SessionMemory::kLargestRecycled + 1);
  ASSERT_NE(large, nullptr);
  EXPECT_TRUE(aligned(large));
  std::memset(large, 0xab, SessionMemory::kLargestRecycled + 1);
  memory.release(large);
  EXPECT_EQ(memory.kept(), SessionMemory::kKeptPerSize);
}

TEST(SessionMemory, CallocZeroesAndReallocKeepsTheBytes) {
  SessionMemory memory;
  nghttp2_mem* mem = memory.mem();
  auto* dirty = static_cast<unsigned char*>(mem->malloc(48, mem->mem_user_data));
  std::memset(dirty, 0xff, 48);
  mem->free(dirty, mem->mem_user_data);
  auto* zeroed = static_cast<unsigned char*>(mem->calloc(6, 8, mem->mem_user_data));
  ASSERT_EQ(zeroed, dirty);  // recycled, and still handed out zeroed
  for (int i = 0; i < 48; ++i) EXPECT_EQ(zeroed[i], 0) << i;
  EXPECT_EQ(mem->calloc(SIZE_MAX / 2, 4, mem->mem_user_data), nullptr);  // overflows
  for (int i = 0; i < 48; ++i) zeroed[i] = static_cast<unsigned char>(i);
  EXPECT_EQ(mem->realloc(zeroed, 40, mem->mem_user_data), zeroed);  // it fits
  auto* grown = static_cast<unsigned char*>(mem->realloc(zeroed, 5000, mem->mem_user_data));
  ASSERT_NE(grown, nullptr);
  for (int i = 0; i < 48; ++i) EXPECT_EQ(grown[i], i);
  grown = static_cast<unsigned char*>(mem->realloc(grown, 9000, mem->mem_user_data));
  for (int i = 0; i < 48; ++i) EXPECT_EQ(grown[i], i);
  mem->free(grown, mem->mem_user_data);
  mem->free(nullptr, mem->mem_user_data);
  void* fresh = mem->realloc(nullptr, 16, mem->mem_user_data);
  EXPECT_NE(fresh, nullptr);
  mem->free(fresh, mem->mem_user_data);
}

}  // namespace
}  // namespace paf::h2
