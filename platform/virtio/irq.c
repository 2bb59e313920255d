/* Device interrupts: the 8259's IRQ lines (pic.c), each with at most one
 * handler, and a count per line so that yield.c can tell what woke the CPU.
 * Interrupts exist only to end paf_yield's `hlt` (cpu.h), so a handler does
 * no more than make its device lower the line; the device's work is done
 * after the wake-up, by the application's loop, interrupts off. */
#include "kernel.h"

static irq_handler handlers[PIC_IRQ_COUNT];
static uint64_t counts[PIC_IRQ_COUNT];

/* A PCI line may be shared: `acknowledge` lowers it for its own device. The
 * others on it have no driver here, so they raise nothing: a line some other
 * device held up would only make every `hlt` end at once, never lose a
 * wake-up. */
void irq_attach_pci(unsigned irq, irq_handler acknowledge) {
  handlers[irq] = acknowledge;
  pic_set_level_triggered(irq);
  pic_unmask(irq);
}

/* The device is acknowledged before the controller: a level-triggered line
 * still raised at the end of interrupt would interrupt again at once. */
void irq_dispatch(unsigned irq) {
  counts[irq]++;
  if (handlers[irq] != NULL) handlers[irq]();
  pic_end_of_interrupt(irq);
}

uint64_t irq_count(unsigned irq) { return irq < PIC_IRQ_COUNT ? counts[irq] : 0; }
