/* qsort as heapsort: O(n log n) in the worst case, no recursion and no extra
 * memory, which matters more on a small fixed stack than qsort's usual speed
 * on random input. Not stable, as qsort need not be. Plus bsearch. */
#include <stdlib.h>

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size) {
  while (size--) {
    unsigned char t = *a;
    *a++ = *b;
    *b++ = t;
  }
}

/* Moves element `root` down until the max-heap [0, count) holds again. */
static void sift_down(unsigned char *base, size_t root, size_t count, size_t size,
                      int (*compare)(const void *, const void *)) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= count) return;
    if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0) child++;
    if (compare(base + root * size, base + child * size) >= 0) return;
    swap_bytes(base + root * size, base + child * size, size);
    root = child;
  }
}

void qsort(void *base_in, size_t count, size_t size, int (*compare)(const void *, const void *)) {
  unsigned char *base = base_in;
  if (count < 2 || size == 0) return;
  for (size_t i = count / 2; i-- > 0;) sift_down(base, i, count, size, compare);
  for (size_t end = count - 1; end > 0; end--) {
    swap_bytes(base, base + end * size, size);
    sift_down(base, 0, end, size, compare);
  }
}

void *bsearch(const void *key, const void *base_in, size_t count, size_t size,
              int (*compare)(const void *, const void *)) {
  const unsigned char *base = base_in;
  while (count > 0) {
    const unsigned char *middle = base + (count / 2) * size;
    int order = compare(key, middle);
    if (order == 0) return (void *)middle;
    if (order > 0) {
      base = middle + size;
      count -= count / 2 + 1;
    } else {
      count /= 2;
    }
  }
  return NULL;
}
