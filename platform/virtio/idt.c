/* The interrupt descriptor table: a gate per stub of interrupt.S, and the
 * one C function they all call. */
#include <stdint.h>

#include "kernel.h"

#define VECTOR_COUNT (LAPIC_SPURIOUS_VECTOR + 1) /* as many as interrupt.S has stubs */
#define GDT_CODE64 0x08           /* boot.S's code segment */
#define GATE_INTERRUPT_PRESENT 0x8e /* present, ring 0, 64-bit interrupt gate */

struct idt_gate {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;
  uint8_t type;
  uint16_t offset_middle;
  uint32_t offset_high;
  uint32_t reserved;
} __attribute__((packed));

struct idt_pointer {
  uint16_t limit;
  uint64_t base;
} __attribute__((packed));

extern const uint64_t interrupt_vectors[VECTOR_COUNT];
static struct idt_gate idt[VECTOR_COUNT] __attribute__((aligned(16)));

/* Interrupt gates (not trap gates): handlers run with interrupts off. */
static struct idt_gate interrupt_gate(uint64_t handler) {
  return (struct idt_gate){
      .offset_low = (uint16_t)handler,
      .selector = GDT_CODE64,
      .type = GATE_INTERRUPT_PRESENT,
      .offset_middle = (uint16_t)(handler >> 16),
      .offset_high = (uint32_t)(handler >> 32),
  };
}

void idt_init(void) {
  for (unsigned v = 0; v < VECTOR_COUNT; v++) idt[v] = interrupt_gate(interrupt_vectors[v]);
  struct idt_pointer pointer = {.limit = sizeof idt - 1, .base = (uint64_t)idt};
  __asm__ volatile("lidt %0" : : "m"(pointer));
}

/* Called by interrupt.S: an exception is fatal, an IRQ goes to irq.c; the
 * rest (the LAPIC's spurious vector; nothing else is ever raised) is ignored. */
void interrupt_dispatch(struct interrupt_frame *frame) {
  if (frame->vector < PIC_FIRST_VECTOR) exception_fatal(frame);
  if (frame->vector < PIC_FIRST_VECTOR + PIC_IRQ_COUNT)
    irq_dispatch((unsigned)(frame->vector - PIC_FIRST_VECTOR));
}
