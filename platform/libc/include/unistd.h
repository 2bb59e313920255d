/* paf libc: stand-in for <unistd.h>. Debian's libstdc++ is configured with
 * Linux futexes, and its bits/atomic_wait.h (reached from <atomic>) includes
 * this for syscall(). There is no kernel: syscall is declared, never defined,
 * so a use of std::atomic<T>::wait/notify fails at link time. */
#ifndef PAF_LIBC_UNISTD_H
#define PAF_LIBC_UNISTD_H

#include <features.h>
#include <sys/types.h>

__PAF_BEGIN_DECLS
long syscall(long number, ...);
__PAF_END_DECLS

#endif
