/* The platform's C entry (boot.S calls it in long mode, SSE on, .bss clear):
 * devices and clocks set up, the libc heap given its region, the C++
 * constructors run, then the application; its return value is the exit
 * status, through exit() so that atexit handlers and static destructors run
 * as on a host. */
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"
#include "paf/platform.h"

extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

static void run_constructors(void) {
  for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) (*ctor)();
}

void virtio_start(const struct hvm_start_info *start_info) {
  idt_init(); /* first: a fault from here on is reported, not a triple fault */
  serial_init();
  puts("paf/virtio: booting");
  if (start_info->magic != HVM_START_MAGIC)
    virtio_fatal("not booted through PVH (start info magic %#x)", start_info->magic);
  const char *cmdline = cmdline_init(start_info);
  struct heap_region heap = heap_find(start_info);
  paf_libc_heap_init((void *)heap.start, heap.size);
  pic_init();
  lapic_init();
  pit_init();
  tscclock_init();
  rtc_init();
  entropy_init();
  printf("paf/virtio: heap %zu KiB at %#lx, TSC %lu kHz, entropy %s, cmdline \"%s\"\n",
         heap.size >> 10, heap.start, tscclock_frequency() / 1000, entropy_source_name(),
         cmdline);
  run_constructors();
  struct paf_start_info info = {.cmdline = cmdline, .heap_start = heap.start, .heap_size = heap.size};
  exit(paf_app_main(&info));
}
