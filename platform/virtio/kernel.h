/* What the files of platform/virtio offer each other (nothing here is part of
 * the platform contract, include/paf/platform.h). One section per file. */
#ifndef PAF_VIRTIO_KERNEL_H
#define PAF_VIRTIO_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "hvm_start_info.h"

/* start.c: the C entry, called by boot.S in long mode with SSE on. */
__attribute__((noreturn)) void virtio_start(const struct hvm_start_info *start_info);

/* exit.c: ending through QEMU's isa-debug-exit device. Statuses 0..125 reach
 * the host as (status << 1) | 1; a fatal error as (127 << 1) | 1 = 255. */
#define VIRTIO_EXIT_STATUS_MAX 125
#define VIRTIO_EXIT_STATUS_FATAL 127
/* Prints "paf/virtio: " and the message, then ends with the fatal status. */
__attribute__((noreturn, format(printf, 1, 2))) void virtio_fatal(const char *format, ...);
/* Ends with the fatal status, printing nothing (the caller has). */
__attribute__((noreturn)) void virtio_exit_fatal(void);

/* serial.c: COM1, 115200 8N1. */
void serial_init(void);

/* idt.c + interrupt.S: every exception is fatal (exception.c); PIC
 * interrupts go to irq.c and serve only to wake the CPU from `hlt`. There is
 * no IST stack: an interrupt's frame is pushed right below the interrupted
 * %rsp, so interrupts are enabled only inside halt_until_interrupt (cpu.h),
 * called by yield.c alone — never where code built with a red zone (libgcc)
 * could be running. */
void idt_init(void);

/* What interrupt.S saves, lowest address first; the C handlers get a pointer. */
struct interrupt_frame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
  uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error_code; /* error_code 0 for vectors without one */
  uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* exception.c */
__attribute__((noreturn)) void exception_fatal(const struct interrupt_frame *frame);

/* pic.c: the legacy 8259 pair, remapped to vectors 32..47. */
#define PIC_FIRST_VECTOR 32
#define PIC_IRQ_COUNT 16
#define PIC_IRQ_TIMER 0
void pic_init(void);
void pic_unmask(unsigned irq);
/* For a PCI device's line (INTx), raised for as long as it wants service. */
void pic_set_level_triggered(unsigned irq);
void pic_end_of_interrupt(unsigned irq);

/* lapic.c: the local APIC in virtual-wire mode, so that the 8259's
 * interrupts reach the CPU whatever the firmware left (qboot: LINT0 masked).
 * Its spurious interrupts come on LAPIC_SPURIOUS_VECTOR (low nibble 1111, as
 * older APICs require), which wants no end of interrupt. */
#define LAPIC_SPURIOUS_VECTOR 63
void lapic_init(void);

/* irq.c: a handler per IRQ, run with interrupts off, before the end of
 * interrupt; and how many times each IRQ came. */
typedef void (*irq_handler)(void);
/* Unmasks a PCI device's line (level-triggered); `acknowledge` makes the
 * device lower it. */
void irq_attach_pci(unsigned irq, irq_handler acknowledge);
void irq_dispatch(unsigned irq); /* from idt.c */
uint64_t irq_count(unsigned irq); /* 0 for an IRQ out of range */

/* pit.c: the 8254 timer (1.193182 MHz), channel 0: alarms that wake the CPU
 * (IRQ 0), and a stopwatch for calibrating the TSC. */
#define PIT_HZ 1193182u
#define PIT_MAX_TICKS 65535u
void pit_init(void);
/* Raises IRQ 0 once, after `ticks` (1..PIT_MAX_TICKS) periods. */
void pit_arm_oneshot(uint16_t ticks);
/* Busy-waits `ticks` periods; false if the PIT never answered. */
int pit_busy_wait(uint16_t ticks);

/* tscclock.c: paf_clock_monotonic, from the TSC. */
void tscclock_init(void);
uint64_t tscclock_frequency(void); /* Hz */

/* rtc.c: paf_clock_wall, the CMOS clock read once at boot. Needs the TSC clock. */
void rtc_init(void);

/* entropy.c: paf_entropy from RDRAND or RDSEED, if CPUID offers one. */
void entropy_init(void);
const char *entropy_source_name(void); /* "rdrand", "rdseed" or "none" */

/* cmdline.c: a private copy of the boot command line ("" when none). */
const char *cmdline_init(const struct hvm_start_info *start_info);

/* heap.c: the largest RAM region of the memory map above the image. */
struct heap_region {
  uintptr_t start;
  size_t size;
};
struct heap_region heap_find(const struct hvm_start_info *start_info);

/* virtio_net.c: the NIC behind paf_net_*. Its receive queue interrupts
 * through the IRQ the firmware assigned; without one, yield.c polls it. */
int virtio_net_acquired(void);
/* Whether a NIC is acquired that no interrupt announces frames of. */
int virtio_net_polled(void);
/* How many times the NIC's IRQ came (0 without one). */
uint64_t virtio_net_interrupts(void);
/* The handles whose paf_net_read() has a frame (or an error) waiting. */
uint64_t virtio_net_ready_set(void);

/* yield.c: prints how many of paf_yield's sleeps the NIC's interrupt
 * ended, and how many the timer (paf_exit does, once a NIC was acquired). */
void yield_print_wakeups(void);

#endif
