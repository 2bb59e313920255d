// paf libc: libstdc++'s thread layer for one core and no threads.
//
// Debian's libstdc++ was configured with POSIX threads: its c++config.h fixes
// _GLIBCXX_HAS_GTHREADS and Linux futexes, and its gthr-default.h is
// gthr-posix.h, which needs <pthread.h>. Bare-metal paf has a single thread.
// This directory comes before libstdc++'s in the freestanding include path, so
// this file replaces the configure-time choice without editing libstdc++: the
// mutex layer is libstdc++'s own single-threaded one (gthr-single.h, locking is
// a no-op), and the condition-variable layer that c++config.h promises is
// declared but never defined, so std::condition_variable and
// std::atomic<T>::wait fail at link time instead of deadlocking at run time.
#ifndef PAF_LIBC_GTHR_DEFAULT_H
#define PAF_LIBC_GTHR_DEFAULT_H

#include <bits/gthr-single.h>
#include <time.h> // clockid_t, struct timespec

typedef struct timespec __gthread_time_t;
typedef struct {
  int unused;
} __gthread_cond_t;
#define __GTHREAD_COND_INIT {0}

extern "C" {
int __paf_no_threads_cond_wait(__gthread_cond_t *cond, __gthread_mutex_t *mutex);
}

static inline int __gthread_cond_wait(__gthread_cond_t *cond, __gthread_mutex_t *mutex) {
  return __paf_no_threads_cond_wait(cond, mutex);
}
static inline int __gthread_cond_timedwait(__gthread_cond_t *cond, __gthread_mutex_t *mutex,
                                           const __gthread_time_t *) {
  return __paf_no_threads_cond_wait(cond, mutex);
}
static inline int pthread_cond_clockwait(__gthread_cond_t *cond, __gthread_mutex_t *mutex,
                                         clockid_t, const __gthread_time_t *) {
  return __paf_no_threads_cond_wait(cond, mutex);
}
// With one thread nobody waits: waking is a no-op.
static inline int __gthread_cond_signal(__gthread_cond_t *) { return 0; }
static inline int __gthread_cond_broadcast(__gthread_cond_t *) { return 0; }
static inline int __gthread_cond_destroy(__gthread_cond_t *) { return 0; }
static inline int __gthread_yield(void) { return 0; }

#endif
