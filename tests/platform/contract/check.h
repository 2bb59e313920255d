/* The boot tests' one helper: a failed check prints where and what, and makes
 * paf_app_main return 1. A passing test prints SUCCESS, which the runner
 * (run-qemu-test.sh) looks for beside the exit status. */
#ifndef PAF_TESTS_VIRTIO_CHECK_H
#define PAF_TESTS_VIRTIO_CHECK_H

#include <stdio.h>

#define CHECK(condition)                                                           \
  do {                                                                             \
    if (!(condition)) {                                                            \
      printf("FAILURE: %s:%d: %s\n", __FILE__, __LINE__, #condition);              \
      return 1;                                                                    \
    }                                                                              \
  } while (0)

#endif
