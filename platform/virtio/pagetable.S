/* The page tables: the first 4 GiB mapped 1:1 with 2 MiB pages, writable and
 * executable. That covers the image, all RAM of a -m 3G or smaller guest, and
 * the 32-bit MMIO window (PCI BARs, IOAPIC, LAPIC); caching there is left to
 * the firmware's MTRRs (QEMU ignores it). Built at boot into .bss (which
 * boot.S has just cleared) rather than stored: 24 KiB less image. */

#define PTE_PRESENT (1 << 0)
#define PTE_WRITABLE (1 << 1)
#define PTE_LARGE (1 << 7) /* in a page directory: a 2 MiB page */
#define PAGE_DIRECTORIES 4 /* one per GiB */
#define LARGE_PAGES (PAGE_DIRECTORIES * 512)

  .section .text.boot, "ax", @progbits
  .code32
  .globl pagetable_build
/* Returns the PML4's address in %eax; clobbers %ecx. */
pagetable_build:
  movl $(pdpt + PTE_PRESENT + PTE_WRITABLE), pml4

  xor %ecx, %ecx
1:
  mov %ecx, %eax
  shl $12, %eax
  add $(page_directories + PTE_PRESENT + PTE_WRITABLE), %eax
  mov %eax, pdpt(, %ecx, 8)
  inc %ecx
  cmp $PAGE_DIRECTORIES, %ecx
  jb 1b

  xor %ecx, %ecx
2:
  mov %ecx, %eax
  shl $21, %eax
  or $(PTE_PRESENT + PTE_WRITABLE + PTE_LARGE), %eax
  mov %eax, page_directories(, %ecx, 8) /* the high half stays 0 */
  inc %ecx
  cmp $LARGE_PAGES, %ecx
  jb 2b

  mov $pml4, %eax
  ret

  .section .bss.pagetables, "aw", @nobits
  .p2align 12
pml4:
  .skip 4096
pdpt:
  .skip 4096
page_directories:
  .skip PAGE_DIRECTORIES * 4096

/* No executable stack (and no linker warning about one). */
  .section .note.GNU-stack, "", @progbits
