/* The test image's entry: a 64-bit _start on the stack the linker script
 * reserves, then .bss cleared, the heap handed to paf's libc, the C++
 * constructors run, and image_main(). Booting for real (PVH, long mode, SSE,
 * IDT) is the bare-metal platform's job in a later issue; this image is
 * linked and checked, not yet run. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int image_main(void);

extern char __bss_start[], __bss_end[], __heap_start[], __heap_end[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

__attribute__((noreturn, used)) static void start_c(void) {
  memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
  paf_libc_heap_init(__heap_start, (size_t)(__heap_end - __heap_start));
  for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) (*ctor)();
  exit(image_main());
}

__asm__(
    ".section .text.boot, \"ax\", @progbits\n"
    ".globl _start\n"
    "_start:\n"
    "  lea __stack_top(%rip), %rsp\n"
    "  xor %ebp, %ebp\n"
    "  call start_c\n"
    "  ud2\n"
    ".previous\n");
