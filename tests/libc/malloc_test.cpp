// The allocator over a test-owned heap region: contents survive, alignment
// holds, freed neighbours merge, exhaustion is NULL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "libc_under_test.h"

namespace {

constexpr size_t kHeapSize = 4 << 20;

class Malloc : public ::testing::Test {
 protected:
  void SetUp() override {
    heap_.assign(kHeapSize + 64, 0);
    // Deliberately misaligned: the allocator must align the region itself.
    paf_test_paf_libc_heap_init(heap_.data() + 3, kHeapSize);
  }
  bool in_heap(const void* p) const {
    auto* b = static_cast<const uint8_t*>(p);
    return b >= heap_.data() && b < heap_.data() + heap_.size();
  }
  std::vector<uint8_t> heap_;
};

struct Allocation {
  uint8_t* data;
  size_t size;
  uint8_t seed;
};

void fill(const Allocation& a) {
  for (size_t i = 0; i < a.size; i++) a.data[i] = static_cast<uint8_t>(a.seed + i * 7);
}
bool intact(const Allocation& a, size_t size) {
  for (size_t i = 0; i < size; i++)
    if (a.data[i] != static_cast<uint8_t>(a.seed + i * 7)) return false;
  return true;
}

TEST_F(Malloc, RandomSequencesKeepContentsAndAlignment) {
  std::mt19937 rng(1234);
  std::vector<Allocation> live;
  for (int step = 0; step < 20000; step++) {
    int action = static_cast<int>(rng() % 10);
    if (action < 5 || live.empty()) {
      size_t size = rng() % 4 == 0 ? rng() % 20000 : rng() % 300;
      auto* p = static_cast<uint8_t*>(paf_test_malloc(size));
      if (!p) continue;  // full for now: fine, frees will follow
      ASSERT_TRUE(in_heap(p));
      ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
      Allocation a{p, size, static_cast<uint8_t>(rng())};
      fill(a);
      live.push_back(a);
    } else if (action < 8) {
      size_t i = rng() % live.size();
      ASSERT_TRUE(intact(live[i], live[i].size)) << "step " << step;
      paf_test_free(live[i].data);
      live[i] = live.back();
      live.pop_back();
    } else {
      size_t i = rng() % live.size();
      size_t size = rng() % 5000;
      auto* p = static_cast<uint8_t*>(paf_test_realloc(live[i].data, size));
      if (size == 0) {  // realloc(p, 0) frees
        live[i] = live.back();
        live.pop_back();
        continue;
      }
      if (!p) continue;  // the old block stays valid
      ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
      Allocation moved{p, size, live[i].seed};
      ASSERT_TRUE(intact(moved, std::min(size, live[i].size))) << "step " << step;
      fill(moved);
      live[i] = moved;
    }
  }
  for (auto& a : live) {
    ASSERT_TRUE(intact(a, a.size));
    paf_test_free(a.data);
  }
  // Everything merged back: nearly the whole heap is one block again.
  void* big = paf_test_malloc(kHeapSize - 4096);
  EXPECT_NE(big, nullptr);
  paf_test_free(big);
}

TEST_F(Malloc, FreedNeighboursCoalesceIntoALargeBlock) {
  std::vector<void*> blocks;
  while (void* p = paf_test_malloc(1000)) blocks.push_back(p);
  ASSERT_GT(blocks.size(), 1000u);
  EXPECT_EQ(paf_test_malloc(1000), nullptr);
  // Free every block in an order that needs merging on both sides.
  for (size_t i = 0; i < blocks.size(); i += 2) paf_test_free(blocks[i]);
  EXPECT_EQ(paf_test_malloc(100000), nullptr);  // only 1000-byte holes
  for (size_t i = 1; i < blocks.size(); i += 2) paf_test_free(blocks[i]);
  void* big = paf_test_malloc(kHeapSize / 2);
  EXPECT_NE(big, nullptr);
  paf_test_free(big);
}

TEST_F(Malloc, OutOfMemoryIsNull) {
  EXPECT_EQ(paf_test_malloc(kHeapSize * 2), nullptr);
  EXPECT_EQ(paf_test_malloc(SIZE_MAX), nullptr);
  EXPECT_EQ(paf_test_malloc(SIZE_MAX - 8), nullptr);
  EXPECT_EQ(paf_test_calloc(SIZE_MAX / 2, 4), nullptr);  // the product overflows
  EXPECT_EQ(paf_test_aligned_alloc(4096, SIZE_MAX - 100), nullptr);
  void* p = paf_test_malloc(100);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(paf_test_realloc(p, kHeapSize * 2), nullptr);  // p stays valid
  paf_test_free(p);
}

TEST_F(Malloc, AlignedAllocHonoursAlignment) {
  std::vector<void*> blocks;
  for (size_t alignment = 1; alignment <= 65536; alignment *= 2) {
    for (size_t size : {1u, 24u, 4096u, 10000u}) {
      void* p = paf_test_aligned_alloc(alignment, size);
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % std::max<size_t>(alignment, 16), 0u);
      std::memset(p, 0xab, size);
      blocks.push_back(p);
    }
  }
  EXPECT_EQ(paf_test_aligned_alloc(24, 10), nullptr);  // not a power of two
  for (void* p : blocks) paf_test_free(p);
  void* big = paf_test_malloc(kHeapSize - 4096);
  EXPECT_NE(big, nullptr);  // the alignment gaps went back too
  paf_test_free(big);
}

TEST_F(Malloc, CallocZeroesAndReallocGrowsInPlaceOrMoves) {
  auto* z = static_cast<uint8_t*>(paf_test_malloc(256));
  std::memset(z, 0xff, 256);
  paf_test_free(z);
  auto* c = static_cast<uint8_t*>(paf_test_calloc(16, 16));
  ASSERT_NE(c, nullptr);
  for (int i = 0; i < 256; i++) EXPECT_EQ(c[i], 0);
  auto* r = static_cast<char*>(paf_test_realloc(nullptr, 10));
  std::strcpy(r, "paf");
  r = static_cast<char*>(paf_test_realloc(r, 100000));
  ASSERT_NE(r, nullptr);
  EXPECT_STREQ(r, "paf");
  r = static_cast<char*>(paf_test_realloc(r, 4));
  EXPECT_STREQ(r, "paf");
  paf_test_free(r);
  paf_test_free(c);
  paf_test_free(nullptr);
  void* zero = paf_test_malloc(0);  // a unique pointer, freeable
  EXPECT_NE(zero, nullptr);
  paf_test_free(zero);
}

TEST(MallocBeforeInit, IsNull) {
  paf_test_paf_libc_heap_init(nullptr, 0);
  EXPECT_EQ(paf_test_malloc(1), nullptr);
}

// mallinfo2(): what is in use is every allocated block with its 16-byte
// header (a request rounded up to 16); the high-water mark is the most that
// ever was; and once all is freed, nothing is in use and the whole heap free.
TEST_F(Malloc, Mallinfo2CountsWhatIsInUseAndItsHighWaterMark) {
  struct paf_test_mallinfo2 info = paf_test_mallinfo2();
  EXPECT_EQ(info.uordblks, 0u);
  EXPECT_EQ(info.usmblks, 0u);
  EXPECT_GT(info.arena, kHeapSize - 64);
  EXPECT_LE(info.arena, kHeapSize);
  EXPECT_EQ(info.fordblks, info.arena);
  const size_t arena = info.arena;

  void* a = paf_test_malloc(1000);  // 1008 + 16
  void* b = paf_test_malloc(5000);  // 5008 + 16
  ASSERT_TRUE(a && b);
  info = paf_test_mallinfo2();
  EXPECT_EQ(info.uordblks, 1024u + 5024u);
  EXPECT_EQ(info.usmblks, 1024u + 5024u);
  EXPECT_EQ(info.uordblks + info.fordblks, arena);
  paf_test_free(a);
  info = paf_test_mallinfo2();
  EXPECT_EQ(info.uordblks, 5024u);
  EXPECT_EQ(info.usmblks, 6048u);  // the mark stays
  b = paf_test_realloc(b, 200);      // shrinks in place: 208 + 16
  ASSERT_TRUE(b);
  EXPECT_EQ(paf_test_mallinfo2().uordblks, 224u);
  b = paf_test_realloc(b, 3000);  // grows in place into the free tail
  EXPECT_EQ(paf_test_mallinfo2().uordblks, 3024u);
  void* c = paf_test_aligned_alloc(4096, 100);  // 112 + 16; its gap stays free
  ASSERT_TRUE(c);
  EXPECT_EQ(paf_test_mallinfo2().uordblks, 3024u + 128u);
  paf_test_free(b);
  paf_test_free(c);
  info = paf_test_mallinfo2();
  EXPECT_EQ(info.uordblks, 0u);
  EXPECT_EQ(info.fordblks, arena);
  EXPECT_EQ(info.usmblks, 6048u);

  // A realloc that must move holds both blocks for a moment: the mark has both.
  void* d = paf_test_malloc(10000);  // 10000 + 16
  void* barrier = paf_test_malloc(16);  // 16 + 16, so that d cannot grow in place
  void* moved = paf_test_realloc(d, 20000);  // 20000 + 16
  ASSERT_TRUE(d && barrier && moved);
  EXPECT_NE(moved, d);
  info = paf_test_mallinfo2();
  EXPECT_EQ(info.uordblks, 20016u + 32u);
  EXPECT_EQ(info.usmblks, 10016u + 32u + 20016u);
  paf_test_free(moved);
  paf_test_free(barrier);

  // Random work without moves: the mark is the largest use seen after any
  // allocation, and all of it comes back.
  std::mt19937 rng(99);
  std::vector<void*> live;
  size_t most = paf_test_mallinfo2().usmblks;
  for (int step = 0; step < 5000; step++) {
    if (rng() % 3 != 0 || live.empty()) {
      void* p = rng() % 2 ? paf_test_malloc(rng() % 30000) : paf_test_aligned_alloc(64, rng() % 500);
      if (p) live.push_back(p);
    } else {
      size_t i = rng() % live.size();
      paf_test_free(live[i]);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
    }
    info = paf_test_mallinfo2();
    ASSERT_EQ(info.uordblks + info.fordblks, arena);
    most = std::max(most, info.uordblks);
  }
  EXPECT_GT(most, 10016u + 32u + 20016u);
  EXPECT_EQ(paf_test_mallinfo2().usmblks, most);
  for (void* p : live) paf_test_free(p);
  EXPECT_EQ(paf_test_mallinfo2().uordblks, 0u);
}

}  // namespace
