/* platform/virtio's NIC driver (virtio_net.c) and its rings (virtio_ring.c)
 * built hosted for fuzz/virtio_net_rx.cpp, which plays the device: included
 * here whole, so that every input starts from a NIC never acquired, and the
 * memory the driver allocates for good (an image acquires its NIC once) is
 * given back between inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h" /* before printf is renamed below: its format attributes name it */
#include "virtio_net_host.h"

#define VIRTIO_NET_HOST_MAX_ALLOCATIONS 8
static void *allocations[VIRTIO_NET_HOST_MAX_ALLOCATIONS];
static size_t allocation_count;

static void *remember(void *memory) {
  if (memory != NULL && allocation_count == VIRTIO_NET_HOST_MAX_ALLOCATIONS) abort();
  if (memory != NULL) allocations[allocation_count++] = memory;
  return memory;
}
static void *kept_aligned_alloc(size_t align, size_t size) {
  return remember(aligned_alloc(align, size));
}
static void *kept_malloc(size_t size) { return remember(malloc(size)); }

/* The driver's console lines, two per input, would drown libFuzzer's. */
static int quiet_printf(const char *format, ...) {
  (void)format;
  return 0;
}
static int quiet_puts(const char *line) {
  (void)line;
  return 0;
}
#define puts quiet_puts
#define printf quiet_printf
#define aligned_alloc kept_aligned_alloc
#define malloc kept_malloc
#include "virtio_net.c"
#include "virtio_ring.c"
#undef aligned_alloc
#undef malloc
#undef puts
#undef printf

void virtio_net_host_reset(void) {
  for (size_t i = 0; i < allocation_count; i++) free(allocations[i]);
  allocation_count = 0;
  nic = (struct virtio_net){0};
}

struct virtio_net_host_view virtio_net_host_rings(void) {
  struct virtio_net_host_view view = {&nic.receive, &nic.transmit, nic.free_transmit_count};
  return view;
}
