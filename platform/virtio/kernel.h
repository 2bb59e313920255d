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
 * interrupts are acknowledged and serve only to wake the CPU from `hlt`. */
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
void pic_end_of_interrupt(unsigned irq);

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

/* virtio_net.c: the NIC behind paf_net_*, polled by yield.c. */
int virtio_net_acquired(void);
/* The handles whose paf_net_read() has a frame (or an error) waiting. */
uint64_t virtio_net_ready_set(void);

#endif
