/* The handlers exit() runs: atexit's from C, __cxa_atexit's (static objects'
 * destructors) from C++. */
#ifndef PAF_LIBC_EXIT_HANDLERS_H
#define PAF_LIBC_EXIT_HANDLERS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Registers `function(argument)` to run at exit, after those registered
 * later; returns 0, or -1 when the table is full. */
int paf_libc_register_exit_handler(void (*function)(void *), void *argument);

#ifdef __cplusplus
}
#endif

#endif
