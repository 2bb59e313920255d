/*
 * The POSIX platform's network devices: Linux TAP interfaces. A device name
 * an application passes to paf_net_acquire() ("service0") is bound to a TAP
 * interface ("tap0") before it is acquired, as Solo5's hvt does with
 * --net:NAME=IFACE. paf_posix_main binds them from its own command-line words
 *
 *   --net:NAME=IFACE    e.g.  my-app --net:service0=tap0 ip=10.0.0.2/24
 *
 * which are the platform's: the application's command line does not see them.
 * A program with its own main() calls paf_posix_net_bind_tap() itself.
 *
 * The TAP interface must exist (`ip tuntap add dev tap0 mode tap`, which
 * gives IFF_NO_PI) or the process may create it (CAP_NET_ADMIN). Its MTU is
 * the interface's; its MAC is a random locally administered one (the
 * interface's own MAC is the host side's).
 */
#ifndef PAF_POSIX_NET_TAP_H
#define PAF_POSIX_NET_TAP_H

#include "paf/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Binds the device `name` to the TAP interface `interface_name` (at most 15
 * characters). PAF_R_EINVAL when a name is empty or too long, `name` is
 * bound already, or no binding is left (there are 8). Nothing is opened
 * until paf_net_acquire(). */
paf_result_t paf_posix_net_bind_tap(const char *name, const char *interface_name);

/* Opens the TAP interface `interface_name` non-blocking, without packet
 * information (IFF_TAP | IFF_NO_PI), and fills `info` (a random local MAC, the
 * interface's MTU). Returns the descriptor, or -1 with errno set. For the
 * platform's devices and for hosted network devices over a loop of their own. */
int paf_posix_tap_open(const char *interface_name, struct paf_net_info *info);

#ifdef __cplusplus
}
#endif

#endif /* PAF_POSIX_NET_TAP_H */
