/* The legacy 8259 interrupt controllers (master + slave). Their IRQs are
 * moved to vectors 32..47, away from the CPU's exceptions, and all but the
 * ones asked for stay masked. The edge/level control registers (ELCR, which
 * QEMU's pc and q35 chipsets both have) say which IRQs are PCI's: those are
 * level-triggered, raised for as long as a device wants service. */
#include "cpu.h"
#include "kernel.h"

#define PIC_MASTER_COMMAND 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_COMMAND 0xa0
#define PIC_SLAVE_DATA 0xa1
#define ICW1_INIT_WITH_ICW4 0x11
#define ICW4_8086 0x01
#define SLAVE_ON_IRQ2 0x04
#define SLAVE_IDENTITY 0x02
#define OCW2_END_OF_INTERRUPT 0x20
#define ELCR_MASTER 0x4d0
#define ELCR_SLAVE 0x4d1

void pic_init(void) {
  outb(PIC_MASTER_COMMAND, ICW1_INIT_WITH_ICW4);
  outb(PIC_SLAVE_COMMAND, ICW1_INIT_WITH_ICW4);
  outb(PIC_MASTER_DATA, PIC_FIRST_VECTOR);
  outb(PIC_SLAVE_DATA, PIC_FIRST_VECTOR + 8);
  outb(PIC_MASTER_DATA, SLAVE_ON_IRQ2);
  outb(PIC_SLAVE_DATA, SLAVE_IDENTITY);
  outb(PIC_MASTER_DATA, ICW4_8086);
  outb(PIC_SLAVE_DATA, ICW4_8086);
  outb(PIC_MASTER_DATA, 0xff & ~SLAVE_ON_IRQ2); /* the cascade stays open */
  outb(PIC_SLAVE_DATA, 0xff);
}

void pic_unmask(unsigned irq) {
  uint16_t port = irq < 8 ? PIC_MASTER_DATA : PIC_SLAVE_DATA;
  outb(port, inb(port) & (uint8_t) ~(1u << (irq % 8)));
}

/* Re-initializing the controllers (pic_init) leaves the ELCR as it was. */
void pic_set_level_triggered(unsigned irq) {
  uint16_t port = irq < 8 ? ELCR_MASTER : ELCR_SLAVE;
  outb(port, inb(port) | (uint8_t)(1u << (irq % 8)));
}

void pic_end_of_interrupt(unsigned irq) {
  if (irq >= 8) outb(PIC_SLAVE_COMMAND, OCW2_END_OF_INTERRUPT);
  outb(PIC_MASTER_COMMAND, OCW2_END_OF_INTERRUPT);
}
