/* Inside platform/posix: what yield.c needs to know of net.c. */
#ifndef PAF_POSIX_NET_H
#define PAF_POSIX_NET_H

#include "paf/platform.h"

/* The acquired devices' handles whose input is ready, or 0. Waits at most
 * until `deadline`; returns at once when no device is acquired and
 * `deadline` is in the past. Returns -1 if no device is acquired (the caller
 * then sleeps by itself). */
int paf_posix_net_poll(uint64_t deadline, paf_handle_set_t *ready_set);

#endif
