/* The local APIC, set up only as far as the 8259 needs it: in virtual-wire
 * mode (MP specification §3.6.2.2), where LINT0 takes the 8259's output as
 * an external interrupt (ExtINT) and LINT1 the NMI. SeaBIOS leaves the BSP
 * so; qboot (and microvm's firmware, built from it) leaves LINT0 masked, and
 * then no PIC interrupt — timer or NIC — would ever end a `hlt`. The LAPIC's
 * own timer and MSIs stay unused. */
#include "cpu.h"
#include "kernel.h"

#define CPUID_1_EDX_APIC (1u << 9)
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDRESS_MASK 0xffffff000ull
/* Registers, as offsets in the LAPIC's page. */
#define LAPIC_SPURIOUS 0xf0
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define SPURIOUS_SOFTWARE_ENABLE 0x100u
/* Delivery mode and trigger of an LVT entry, unmasked: as SeaBIOS writes. */
#define LVT_EXTINT_LEVEL 0x8700u
#define LVT_NMI_LEVEL 0x8400u

static void write_register(uintptr_t base, unsigned offset, uint32_t value) {
  *(volatile uint32_t *)(base + offset) = value;
}

/* A CPU without a LAPIC, or with it globally disabled, takes the 8259's
 * output directly: nothing to do. Its page is below 4 GiB (pagetable.S). */
void lapic_init(void) {
  if (!(cpuid(1, 0).edx & CPUID_1_EDX_APIC)) return;
  uint64_t apic_base = rdmsr(MSR_APIC_BASE);
  if (!(apic_base & APIC_BASE_ENABLE)) return;
  uintptr_t base = (uintptr_t)(apic_base & APIC_BASE_ADDRESS_MASK);
  /* Software-enabled: a disabled LAPIC keeps every LVT entry masked. */
  write_register(base, LAPIC_SPURIOUS, SPURIOUS_SOFTWARE_ENABLE | LAPIC_SPURIOUS_VECTOR);
  write_register(base, LAPIC_LVT_LINT0, LVT_EXTINT_LEVEL);
  write_register(base, LAPIC_LVT_LINT1, LVT_NMI_LEVEL);
}
