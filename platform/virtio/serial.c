/* The console: COM1, the first 16550 UART (QEMU's -serial). */
#include "cpu.h"
#include "kernel.h"
#include "paf/platform.h"

#define COM1 0x3f8
#define UART_DATA 0              /* with DLAB: divisor low byte */
#define UART_INTERRUPT_ENABLE 1  /* with DLAB: divisor high byte */
#define UART_FIFO_CONTROL 2
#define UART_LINE_CONTROL 3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS 5
#define LINE_CONTROL_DLAB 0x80
#define LINE_CONTROL_8N1 0x03
#define FIFO_ENABLE_AND_CLEAR 0x07
#define MODEM_CONTROL_DTR_RTS 0x03
#define LINE_STATUS_TRANSMIT_EMPTY 0x20
#define DIVISOR_115200 1 /* 115200 / 115200 */

void serial_init(void) {
  outb(COM1 + UART_INTERRUPT_ENABLE, 0); /* polled: no interrupts */
  outb(COM1 + UART_LINE_CONTROL, LINE_CONTROL_DLAB);
  outb(COM1 + UART_DATA, DIVISOR_115200);
  outb(COM1 + UART_INTERRUPT_ENABLE, 0);
  outb(COM1 + UART_LINE_CONTROL, LINE_CONTROL_8N1);
  outb(COM1 + UART_FIFO_CONTROL, FIFO_ENABLE_AND_CLEAR);
  outb(COM1 + UART_MODEM_CONTROL, MODEM_CONTROL_DTR_RTS);
}

static void serial_put(char c) {
  while (!(inb(COM1 + UART_LINE_STATUS) & LINE_STATUS_TRANSMIT_EMPTY)) {
  }
  outb(COM1 + UART_DATA, (uint8_t)c);
}

void paf_console_write(const char *buf, size_t size) {
  for (size_t i = 0; i < size; i++) serial_put(buf[i]);
}
