/* The few x86_64 instructions the platform's C code needs, as inline
 * functions: port I/O, the time-stamp counter, CPUID, control registers and
 * halting. Nothing here has state. */
#ifndef PAF_VIRTIO_CPU_H
#define PAF_VIRTIO_CPU_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value) {
  __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t value) {
  __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t value) {
  __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port) {
  uint8_t value;
  __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

static inline uint16_t inw(uint16_t port) {
  uint16_t value;
  __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

static inline uint32_t inl(uint16_t port) {
  uint32_t value;
  __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

/* Reads `count` bytes from `port` into `buf` (`rep insb`). */
static inline void insb(uint16_t port, void *buf, uint32_t count) {
  __asm__ volatile("rep insb" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}

static inline uint64_t rdtsc(void) {
  uint32_t low, high;
  __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
  return (uint64_t)high << 32 | low;
}

struct cpuid_result {
  uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_result cpuid(uint32_t leaf, uint32_t subleaf) {
  struct cpuid_result r;
  __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                   : "a"(leaf), "c"(subleaf));
  return r;
}

static inline uint64_t rdmsr(uint32_t msr) {
  uint32_t low, high;
  __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (uint64_t)high << 32 | low;
}

static inline uint64_t read_cr2(void) {
  uint64_t value;
  __asm__ volatile("mov %%cr2, %0" : "=r"(value));
  return value;
}

/* Sleeps until an interrupt arrives, with interrupts enabled only for the
 * sleep: `sti` takes effect after the next instruction, so an interrupt
 * already pending wakes the `hlt` instead of being lost before it. This is
 * the only place interrupts are on (kernel.h, idt.c: no IST stack, and
 * libgcc is built with a red zone an interrupt frame would overwrite). */
static inline void halt_until_interrupt(void) { __asm__ volatile("sti; hlt; cli" : : : "memory"); }

/* Stops this CPU for good (interrupts off: nothing wakes it). */
__attribute__((noreturn)) static inline void halt_forever(void) {
  for (;;) __asm__ volatile("cli; hlt");
}

#endif
