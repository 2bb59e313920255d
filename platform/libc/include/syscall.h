/* paf libc: stand-in for <syscall.h>; see unistd.h (std::atomic wait/notify
 * are not available on bare metal). */
#ifndef PAF_LIBC_SYSCALL_H
#define PAF_LIBC_SYSCALL_H
#define SYS_futex 202
#endif
