/* The heap allocator: TLSF, "Two-Level Segregated Fit" (Masmano et al., 2004),
 * the allocator of many real-time systems. malloc and free take O(1) time:
 * free blocks sit in lists by size class (a first level per power of two, a
 * second level splitting it in 16), two bitmaps find the smallest non-empty
 * class that fits with find-first-set, and a freed block merges at once with
 * free neighbours (boundary tags), so fragmentation stays low.
 *
 * Layout: every block starts with a 16-byte header; the payload follows, 16-byte
 * aligned (max_align_t). A free block keeps its list links in its payload.
 *
 *   [prev_phys | size|flags] [payload ...........] [next block's header] ...
 *
 * The heap region ends with a zero-size "used" sentinel block, so every real
 * block has a next neighbour. One thread only (there is no other).
 *
 * Accounting, for mallinfo2(): the bytes of the free blocks, headers included,
 * change only where a block enters or leaves a free list; the heap's size less
 * those is what is in use (payloads and their headers), and its high-water mark
 * is taken after every allocation. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN_LOG2 4
#define ALIGNMENT ((size_t)1 << ALIGN_LOG2)
#define SL_LOG2 4 /* 16 second-level classes per power of two */
#define SL_COUNT (1u << SL_LOG2)
#define FL_SHIFT (SL_LOG2 + ALIGN_LOG2)
#define SMALL_BLOCK ((size_t)1 << FL_SHIFT) /* below: one class per 16 bytes */
#define FL_MAX_LOG2 40                      /* largest block: 1 TiB */
#define FL_COUNT (FL_MAX_LOG2 - FL_SHIFT + 1)
#define MAX_BLOCK (((size_t)1 << FL_MAX_LOG2) - ALIGNMENT)

#define FLAG_FREE ((size_t)1)
#define FLAG_PREV_FREE ((size_t)2)
#define FLAGS (FLAG_FREE | FLAG_PREV_FREE)

struct block {
  struct block *prev_phys; /* the block just below; valid when it is free */
  size_t size;             /* payload bytes, a multiple of 16, | flags */
  /* Only while free, in the payload: */
  struct block *next_free;
  struct block *prev_free;
};

#define HEADER_SIZE (2 * sizeof(size_t))
#define MIN_PAYLOAD (sizeof(struct block) - HEADER_SIZE)

static struct {
  uint64_t fl_bitmap;
  uint32_t sl_bitmap[FL_COUNT];
  struct block *free[FL_COUNT][SL_COUNT];
  int ready;
  size_t total;     /* the blocks' bytes, headers included (not the sentinel) */
  size_t free_now;  /* of those, in free blocks */
  size_t peak_used; /* the most ever in use: total - free_now at its lowest */
} heap;

static size_t block_size(const struct block *b) { return b->size & ~FLAGS; }
static int is_free(const struct block *b) { return (b->size & FLAG_FREE) != 0; }
static int is_prev_free(const struct block *b) { return (b->size & FLAG_PREV_FREE) != 0; }
static void *payload(struct block *b) { return (char *)b + HEADER_SIZE; }
static struct block *from_payload(void *p) { return (struct block *)((char *)p - HEADER_SIZE); }
static struct block *next_phys(struct block *b) {
  return (struct block *)((char *)payload(b) + block_size(b));
}

static void set_size(struct block *b, size_t size) { b->size = size | (b->size & FLAGS); }

/* Marks `b` free or used, and tells its upper neighbour. */
static void mark_free(struct block *b) {
  struct block *next = next_phys(b);
  b->size |= FLAG_FREE;
  next->size |= FLAG_PREV_FREE;
  next->prev_phys = b;
}

static void mark_used(struct block *b) {
  b->size &= ~FLAG_FREE;
  next_phys(b)->size &= ~FLAG_PREV_FREE;
}

static int fls_size(size_t x) { return 63 - __builtin_clzl(x); } /* x > 0 */

/* The class a block of `size` belongs to. */
static void mapping(size_t size, int *fl, int *sl) {
  if (size < SMALL_BLOCK) {
    *fl = 0;
    *sl = (int)(size / (SMALL_BLOCK / SL_COUNT));
  } else {
    int f = fls_size(size);
    *sl = (int)((size >> (f - SL_LOG2)) ^ SL_COUNT);
    *fl = f - (FL_SHIFT - 1);
  }
}

/* The smallest class whose every block is >= `size` (rounds `size` up). */
static void mapping_search(size_t size, int *fl, int *sl) {
  if (size >= SMALL_BLOCK) size += ((size_t)1 << (fls_size(size) - SL_LOG2)) - 1;
  mapping(size, fl, sl);
}

static void insert_free(struct block *b) {
  int fl, sl;
  mapping(block_size(b), &fl, &sl);
  struct block *head = heap.free[fl][sl];
  b->next_free = head;
  b->prev_free = NULL;
  if (head) head->prev_free = b;
  heap.free[fl][sl] = b;
  heap.fl_bitmap |= (uint64_t)1 << fl;
  heap.sl_bitmap[fl] |= 1u << sl;
  heap.free_now += block_size(b) + HEADER_SIZE;
}

static void remove_free(struct block *b) {
  int fl, sl;
  mapping(block_size(b), &fl, &sl);
  if (b->prev_free) b->prev_free->next_free = b->next_free;
  else heap.free[fl][sl] = b->next_free;
  if (b->next_free) b->next_free->prev_free = b->prev_free;
  heap.free_now -= block_size(b) + HEADER_SIZE;
  if (!heap.free[fl][sl]) {
    heap.sl_bitmap[fl] &= ~(1u << sl);
    if (!heap.sl_bitmap[fl]) heap.fl_bitmap &= ~((uint64_t)1 << fl);
  }
}

/* A free block of at least `size` bytes from the first class at or above
 * class (fl, sl) that has one, or NULL. */
static struct block *find_from_class(int fl, int sl) {
  if (fl >= FL_COUNT) return NULL;
  uint32_t sl_map = heap.sl_bitmap[fl] & (~0u << sl);
  if (!sl_map) {
    uint64_t fl_map = fl + 1 < 64 ? heap.fl_bitmap & (~(uint64_t)0 << (fl + 1)) : 0;
    if (!fl_map) return NULL;
    fl = __builtin_ctzll(fl_map);
    sl_map = heap.sl_bitmap[fl];
  }
  return heap.free[fl][__builtin_ctz(sl_map)];
}

/* Takes a free block of at least `size` bytes off its list, or NULL. */
static struct block *take_free(size_t size) {
  int fl, sl;
  mapping_search(size, &fl, &sl);
  struct block *b = find_from_class(fl, sl);
  if (!b) {
    /* Every class above is empty, but `size`'s own class may still hold a
     * block big enough (classes span a range of sizes): look through it, so
     * that a nearly full heap can still be used to the last block. */
    mapping(size, &fl, &sl);
    for (b = fl < FL_COUNT ? heap.free[fl][sl] : NULL; b && block_size(b) < size; b = b->next_free) {
    }
  }
  if (b) remove_free(b);
  return b;
}

/* Cuts the tail of `b` beyond `size` into a free block when it is big enough
 * to be one; `b` itself is in no list. */
static void trim(struct block *b, size_t size) {
  size_t total = block_size(b);
  if (total < size + HEADER_SIZE + MIN_PAYLOAD) return;
  set_size(b, size);
  struct block *rest = next_phys(b);
  rest->size = total - size - HEADER_SIZE; /* flags: used, prev used */
  rest->prev_phys = b;
  /* The tail may border a free block: merge, then list it. */
  struct block *after = next_phys(rest);
  if (is_free(after)) {
    remove_free(after);
    set_size(rest, block_size(rest) + HEADER_SIZE + block_size(after));
  }
  mark_free(rest);
  insert_free(rest);
}

/* After an allocation: the high-water mark of what is in use. (Not inside
 * remove_free, where a merge briefly takes blocks off before listing their sum.) */
static void *note_peak(void *p) {
  size_t used = heap.total - heap.free_now;
  if (used > heap.peak_used) heap.peak_used = used;
  return p;
}

/* Payload size for a request, or 0 when it cannot be served. */
static size_t adjust(size_t request) {
  if (request > MAX_BLOCK) return 0;
  size_t size = (request + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
  return size < MIN_PAYLOAD ? MIN_PAYLOAD : size;
}

void paf_libc_heap_init(void *base, size_t size) {
  memset(&heap, 0, sizeof heap);
  uintptr_t start = ((uintptr_t)base + ALIGNMENT - 1) & ~(uintptr_t)(ALIGNMENT - 1);
  uintptr_t end = ((uintptr_t)base + size) & ~(uintptr_t)(ALIGNMENT - 1);
  if (end <= start || end - start < 2 * HEADER_SIZE + MIN_PAYLOAD) return;
  size_t usable = end - start - 2 * HEADER_SIZE; /* first header, sentinel */
  if (usable > MAX_BLOCK) usable = MAX_BLOCK;
  struct block *first = (struct block *)start;
  first->prev_phys = NULL;
  first->size = usable;
  struct block *sentinel = next_phys(first);
  sentinel->size = 0; /* used, zero-size: nothing merges past it */
  heap.total = usable + HEADER_SIZE;
  mark_free(first);
  insert_free(first);
  heap.ready = 1;
}

void *malloc(size_t request) {
  size_t size = adjust(request);
  struct block *b = heap.ready && size ? take_free(size) : NULL;
  if (!b) {
    errno = ENOMEM;
    return NULL;
  }
  mark_used(b);
  trim(b, size);
  return note_peak(payload(b));
}

void free(void *p) {
  if (!p) return;
  struct block *b = from_payload(p);
  if (is_prev_free(b)) { /* merge into the free block below */
    struct block *prev = b->prev_phys;
    remove_free(prev);
    set_size(prev, block_size(prev) + HEADER_SIZE + block_size(b));
    b = prev;
  }
  struct block *next = next_phys(b);
  if (is_free(next)) {
    remove_free(next);
    set_size(b, block_size(b) + HEADER_SIZE + block_size(next));
  }
  mark_free(b);
  insert_free(b);
}

void *calloc(size_t count, size_t size) {
  size_t total;
  if (__builtin_mul_overflow(count, size, &total)) {
    errno = ENOMEM;
    return NULL;
  }
  void *p = malloc(total);
  if (p) memset(p, 0, total);
  return p;
}

void *realloc(void *p, size_t request) {
  if (!p) return malloc(request);
  if (request == 0) { /* as glibc: free, and no new block */
    free(p);
    return NULL;
  }
  size_t size = adjust(request);
  if (!size) {
    errno = ENOMEM;
    return NULL;
  }
  struct block *b = from_payload(p);
  size_t current = block_size(b);
  struct block *next = next_phys(b);
  /* Grow in place into a free upper neighbour when that is enough. */
  if (size > current && is_free(next) && current + HEADER_SIZE + block_size(next) >= size) {
    remove_free(next);
    set_size(b, current + HEADER_SIZE + block_size(next));
    mark_used(b);
    current = block_size(b);
  }
  if (size <= current) {
    trim(b, size);
    return note_peak(p);
  }
  void *moved = malloc(request);
  if (!moved) return NULL; /* the old block stays valid */
  memcpy(moved, p, current);
  free(p);
  return moved;
}

void *aligned_alloc(size_t alignment, size_t request) {
  if (alignment == 0 || (alignment & (alignment - 1))) {
    errno = EINVAL;
    return NULL;
  }
  if (alignment <= ALIGNMENT) return malloc(request);
  size_t size = adjust(request);
  /* Room for the size, the worst misalignment, and a free block before the
   * aligned payload (the gap must be able to stand alone). */
  size_t gap_min = HEADER_SIZE + MIN_PAYLOAD;
  size_t search;
  if (!size || __builtin_add_overflow(size, alignment + gap_min, &search) || search > MAX_BLOCK) {
    errno = ENOMEM;
    return NULL;
  }
  struct block *b = heap.ready ? take_free(search) : NULL;
  if (!b) {
    errno = ENOMEM;
    return NULL;
  }
  uintptr_t start = (uintptr_t)payload(b);
  uintptr_t aligned = (start + alignment - 1) & ~(uintptr_t)(alignment - 1);
  if (aligned != start && aligned - start < gap_min)
    aligned = (start + gap_min + alignment - 1) & ~(uintptr_t)(alignment - 1);
  size_t gap = aligned - start;
  if (gap) { /* the front part becomes a free block of its own */
    struct block *front = b;
    size_t total = block_size(b);
    b = from_payload((void *)aligned);
    b->size = total - gap; /* flags set below */
    b->prev_phys = front;
    set_size(front, gap - HEADER_SIZE);
    b->size |= FLAG_PREV_FREE;
    next_phys(b)->prev_phys = b;
    insert_free(front);
  }
  mark_used(b);
  trim(b, size);
  return note_peak(payload(b));
}

int posix_memalign(void **out, size_t alignment, size_t size) {
  if (alignment < sizeof(void *) || (alignment & (alignment - 1))) return EINVAL;
  void *p = aligned_alloc(alignment, size);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

struct mallinfo2 mallinfo2(void) {
  struct mallinfo2 info;
  memset(&info, 0, sizeof info);
  info.arena = heap.total;
  info.uordblks = heap.total - heap.free_now;
  info.fordblks = heap.free_now;
  info.usmblks = heap.peak_used;
  return info;
}
