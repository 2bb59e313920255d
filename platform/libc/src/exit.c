/* Ending the program: exit runs the registered handlers (newest first), then
 * hands the status to the platform; abort goes straight to the platform. */
#include <stdio.h>
#include <stdlib.h>

#include "exit_handlers.h"
#include "paf/platform.h"

/* The C standard asks for at least 32 handlers; a table needs no allocator. */
#define MAX_EXIT_HANDLERS 64

static struct {
  void (*function)(void *);
  void *argument;
} handlers[MAX_EXIT_HANDLERS];
static int handler_count;

int paf_libc_register_exit_handler(void (*function)(void *), void *argument) {
  if (handler_count == MAX_EXIT_HANDLERS) return -1;
  handlers[handler_count].function = function;
  handlers[handler_count].argument = argument;
  handler_count++;
  return 0;
}

static void call_plain(void *function) { ((void (*)(void))function)(); }

int atexit(void (*function)(void)) {
  return paf_libc_register_exit_handler(call_plain, (void *)function);
}

void exit(int status) {
  while (handler_count > 0) { /* a handler may register more: re-read the count */
    handler_count--;
    handlers[handler_count].function(handlers[handler_count].argument);
  }
  paf_exit(status);
}

void _Exit(int status) { paf_exit(status); }

void abort(void) { paf_abort(); }

void __paf_assert_fail(const char *expr, const char *file, int line, const char *func) {
  printf("%s:%d: %s: assertion failed: %s\n", file, line, func, expr);
  abort();
}

char *getenv(const char *name) {
  (void)name; /* there is no environment */
  return NULL;
}
