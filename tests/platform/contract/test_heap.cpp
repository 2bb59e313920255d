// The heap: the region comes from the memory map (most of -m 128), malloc and
// free of many sizes keep their contents, C++ new/delete work, and a global
// constructor ran before paf_app_main.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "check.h"
#include "paf/platform.h"

namespace {

bool constructed = false;
struct Global {
  Global() { constructed = true; }
} global;

int malloc_many_sizes() {
  std::size_t sizes[64];
  unsigned char* blocks[64];
  for (int i = 0; i < 64; i++) {
    sizes[i] = (std::size_t{1} << (i % 21)) + static_cast<std::size_t>(i);  // 1 B .. 1 MiB
    blocks[i] = static_cast<unsigned char*>(std::malloc(sizes[i]));
    CHECK(blocks[i] != nullptr);
    CHECK(reinterpret_cast<std::uintptr_t>(blocks[i]) % 16 == 0);
    std::memset(blocks[i], i, sizes[i]);
  }
  for (int i = 0; i < 64; i += 2) std::free(blocks[i]);  // holes between live blocks
  for (int i = 1; i < 64; i += 2) {
    for (std::size_t j = 0; j < sizes[i]; j++) CHECK(blocks[i][j] == i);
    std::free(blocks[i]);
  }
  return 0;
}

int large_block() {
  void* block = std::malloc(64 << 20);  // more than a fixed in-image heap would hold
  CHECK(block != nullptr);
  std::memset(block, 0xa5, 64 << 20);
  std::free(block);
  return 0;
}

struct Node {
  explicit Node(int v) : value(v) {}
  int value;
};

int cxx_new_delete() {
  auto* node = new Node(42);
  CHECK(node->value == 42);
  delete node;
  auto* array = new int[1000]();
  CHECK(array[999] == 0);
  delete[] array;
  std::vector<std::unique_ptr<Node>> nodes;
  for (int i = 0; i < 10000; i++) nodes.push_back(std::make_unique<Node>(i));
  CHECK(nodes[9999]->value == 9999);
  return 0;
}

}  // namespace

extern "C" int paf_app_main(const paf_start_info* info) {
  CHECK(constructed);
  CHECK(info->heap_size > (100u << 20));
  CHECK(info->heap_start % 4096 == 0);
  CHECK(malloc_many_sizes() == 0);
  CHECK(large_block() == 0);
  CHECK(cxx_new_delete() == 0);
  std::puts("SUCCESS");
  return 0;
}
