/* Interrupt entry stubs, one per vector 0..63 (CPU exceptions, the 16 PIC
 * interrupts, then unused vectors up to the LAPIC's spurious one, 63). Each
 * makes the frame uniform (a 0 error code where the CPU pushes none, then the
 * vector number), saves the general registers and the SSE state, and calls
 * interrupt_dispatch(struct interrupt_frame *) in C (idt.c) on a 16-byte
 * aligned stack. */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

  .code64
  .section .text.interrupt, "ax", @progbits

.macro VECTOR n
  .p2align 4
interrupt_vector_\n:
  .if !HAS_ERROR_CODE(\n)
  push $0
  .endif
  push $\n
  jmp interrupt_common
.endm

.altmacro
.macro VECTORS from, to
  VECTOR %(\from)
  .if \to - \from
  VECTORS %(\from + 1), \to
  .endif
.endm
  VECTORS 0, 63

interrupt_common:
  push %rax
  push %rbx
  push %rcx
  push %rdx
  push %rsi
  push %rdi
  push %rbp
  push %r8
  push %r9
  push %r10
  push %r11
  push %r12
  push %r13
  push %r14
  push %r15
  mov %rsp, %rdi /* the struct interrupt_frame */
  mov %rsp, %rbx /* callee-saved: the frame, to come back to */
  and $~15, %rsp
  /* The interrupted code may be using SSE registers the C handler reuses. */
  sub $512, %rsp
  fxsave (%rsp)
  cld
  call interrupt_dispatch
  fxrstor (%rsp)
  mov %rbx, %rsp
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %r11
  pop %r10
  pop %r9
  pop %r8
  pop %rbp
  pop %rdi
  pop %rsi
  pop %rdx
  pop %rcx
  pop %rbx
  pop %rax
  add $16, %rsp /* the vector and the error code */
  iretq

/* The stubs' addresses, for idt.c. */
.macro VECTOR_ADDRESS n
  .quad interrupt_vector_\n
.endm
.macro VECTOR_ADDRESSES from, to
  VECTOR_ADDRESS %(\from)
  .if \to - \from
  VECTOR_ADDRESSES %(\from + 1), \to
  .endif
.endm
  .section .rodata.interrupt, "a", @progbits
  .p2align 3
  .globl interrupt_vectors
interrupt_vectors:
  VECTOR_ADDRESSES 0, 63

/* No executable stack (and no linker warning about one). */
  .section .note.GNU-stack, "", @progbits
