/* The PVH entry. QEMU's -kernel finds the ELF note below, loads the image at
 * its physical addresses and jumps to _start in 32-bit protected mode, paging
 * off, interrupts off, %ebx -> struct hvm_start_info, no stack. From there:
 * clear .bss (which holds the stack and the page tables), build the page
 * tables, enter long mode, turn SSE on (compiled C uses it) and call
 * virtio_start(start_info). */

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)

#define GDT_CODE64 0x08
#define GDT_DATA 0x10

#define BOOT_STACK_SIZE (256 * 1024) /* mbedTLS's big-number code likes stack */

/* XEN_ELFNOTE_PHYS32_ENTRY (18), owner "Xen": the 32-bit entry's physical
 * address. 4-byte aligned, so the PT_NOTE segment is too: QEMU finds the
 * descriptor at the name's end rounded up to the segment's alignment. */
  .section .note.paf.pvh, "a", @note
  .p2align 2
  .long 4  /* name size */
  .long 8  /* descriptor size */
  .long 18 /* type */
  .asciz "Xen"
  .quad _start

  .section .text.boot, "ax", @progbits
  .code32
  .globl _start
_start:
  cld
  mov %ebx, %esi /* start info: kept in %esi, which nothing below uses */

  mov $__bss_start, %edi
  mov $__bss_end, %ecx
  sub %edi, %ecx
  xor %eax, %eax
  rep stosb

  mov $boot_stack_top, %esp
  call pagetable_build /* returns the PML4's address in %eax */
  mov %eax, %cr3

  mov %cr4, %eax
  or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
  mov %eax, %cr4
  mov $MSR_EFER, %ecx
  rdmsr
  or $EFER_LME, %eax
  wrmsr
  lgdt gdt_pointer
  /* Paging with EFER.LME: compatibility mode until the far jump loads a
   * 64-bit code segment. EM off and MP on: SSE and x87 run natively. */
  mov %cr0, %eax
  and $~CR0_EM, %eax
  or $(CR0_PE | CR0_MP | CR0_WP | CR0_PG), %eax
  mov %eax, %cr0
  ljmp $GDT_CODE64, $long_mode

  .code64
long_mode:
  mov $GDT_DATA, %ax
  mov %ax, %ds
  mov %ax, %es
  mov %ax, %ss
  mov %ax, %fs
  mov %ax, %gs
  fninit
  mov $boot_stack_top, %rsp /* 16-byte aligned, as the ABI wants before a call */
  xor %ebp, %ebp
  mov %esi, %edi /* zero-extends: physical = virtual below 4 GiB */
  call virtio_start
  ud2

/* Flat segments: ring 0 64-bit code and data. No TSS: no user mode. */
  .section .rodata.gdt, "a", @progbits
  .p2align 3
gdt:
  .quad 0
  .quad 0x00af9a000000ffff /* GDT_CODE64: present, executable, L=1 */
  .quad 0x00cf92000000ffff /* GDT_DATA: present, writable, 4 GiB */
gdt_end:
gdt_pointer:
  .word gdt_end - gdt - 1
  .quad gdt /* lgdt in 32-bit mode reads the low 4 bytes */

  .section .bss.boot_stack, "aw", @nobits
  .p2align 4
  .skip BOOT_STACK_SIZE
boot_stack_top:

/* No executable stack (and no linker warning about one). */
  .section .note.GNU-stack, "", @progbits
