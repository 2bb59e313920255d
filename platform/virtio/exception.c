/* CPU exceptions are bugs: print what the CPU said (vector, error code, the
 * faulting RIP and RSP, CR2 for page faults, the registers) on the console
 * and end with the fatal status, which the host tells from a normal exit. */
#include <stdio.h>

#include "cpu.h"
#include "kernel.h"

static const char *const exception_names[32] = {
    [0] = "#DE divide error",        [1] = "#DB debug",
    [2] = "NMI",                     [3] = "#BP breakpoint",
    [4] = "#OF overflow",            [5] = "#BR bound range",
    [6] = "#UD invalid opcode",      [7] = "#NM device not available",
    [8] = "#DF double fault",        [10] = "#TS invalid TSS",
    [11] = "#NP segment not present", [12] = "#SS stack fault",
    [13] = "#GP general protection", [14] = "#PF page fault",
    [16] = "#MF x87 floating point", [17] = "#AC alignment check",
    [18] = "#MC machine check",      [19] = "#XM SIMD floating point",
    [20] = "#VE virtualization",     [21] = "#CP control protection",
};

static void print_registers(const struct interrupt_frame *f) {
  printf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
  printf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
  printf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
  printf("  r13 %016lx r14 %016lx r15 %016lx rflags %016lx\n", f->r13, f->r14, f->r15, f->rflags);
}

void exception_fatal(const struct interrupt_frame *frame) {
  /* A fault while reporting one would recurse: stop at the second. */
  static int reporting;
  if (reporting++) virtio_exit_fatal();
  const char *name = exception_names[frame->vector];
  printf("paf/virtio: fatal exception %lu (%s), error code %#lx\n", frame->vector,
         name ? name : "reserved", frame->error_code);
  printf("  rip %016lx rsp %016lx cr2 %016lx\n", frame->rip, frame->rsp, read_cr2());
  print_registers(frame);
  virtio_exit_fatal();
}
