// nghttp2's memory for one session, recycled. For every stream a session
// allocates and frees the same few objects (the stream, its outbound items,
// the copy of a head's fields), and a connection serves many streams: freed
// blocks of up to kLargestRecycled bytes wait on a free list per size, at most
// kKeptPerSize of each, for the next stream. Larger blocks, and those past the
// bound, go back to the heap at once; the rest when the session is deleted.
#ifndef PAF_H2_SESSION_MEMORY_H
#define PAF_H2_SESSION_MEMORY_H

#include <nghttp2/nghttp2.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace paf::h2 {

class SessionMemory {
 public:
  static constexpr std::size_t kGranule = 16;  // sizes are rounded up to this
  static constexpr std::size_t kLargestRecycled = 512;
  static constexpr std::size_t kKeptPerSize = 8;

  SessionMemory();
  // Only after the nghttp2 session that used it is deleted.
  ~SessionMemory();
  SessionMemory(const SessionMemory&) = delete;
  SessionMemory& operator=(const SessionMemory&) = delete;

  // For nghttp2_session_server_new3/client_new3 (nghttp2 copies the struct).
  nghttp2_mem* mem() { return &mem_; }

  void* allocate(std::size_t size);
  void release(void* block);
  void* reallocate(void* block, std::size_t size);
  // Blocks waiting on the free lists.
  std::size_t kept() const;

 private:
  static constexpr std::size_t kSizes = kLargestRecycled / kGranule;
  struct FreeBlock {
    FreeBlock* next;
  };
  std::array<FreeBlock*, kSizes + 1> free_{};  // by size / kGranule; 0: unused
  std::array<std::uint8_t, kSizes + 1> kept_{};
  nghttp2_mem mem_;
};

}  // namespace paf::h2

#endif
